using System.Text.Json.Nodes;
using Harness.Benchmarking;
using Harness.Kernels;
using Harness.Reporting;
using Harness.Scenarios;

namespace Harness.Tests.Benchmarking;

/// <summary>The bench on the CPU (host-timed rows) and its JSON document; no timing value is asserted.</summary>
public sealed class BenchRunTests
{
    [Test]
    public void Run_CpuVariantTinyGrid_OneTimedRowPerShape()
    {
        var run = CpuRun();

        run.Variants.Should().HaveCount(2);
        run.Variants.Should().OnlyContain(r => r.Timing != null && r.Timing.Method == "host-stopwatch" && r.Timing.PerRun.Count == 10 && r.NotTimed == null);
        run.Variants.Select(r => r.Shape.Sequence).Should().Equal(7, 9);
        run.Floor.Should().BeNull();
        run.Peers.Should().BeEmpty();
    }

    [Test]
    public void Json_CpuRun_HasEverySchemaField()
    {
        var json = BenchReport.Json(CpuRun(), "harness bench --variant cpu-reference");

        json["schemaVersion"]!.GetValue<int>().Should().Be(2);
        foreach (var field in new[] { "date", "commandLine", "device", "deviceProperties", "settings", "l2Policy", "perStage", "floor", "floorUnavailable", "variants", "refusedShapes", "peers" })
        {
            json.ContainsKey(field).Should().BeTrue(field);
        }

        var row = json["variants"]![0]!.AsObject();
        foreach (var field in new[] { "variant", "shape", "method", "perRunMicroseconds", "singleRunMicroseconds", "parameterSets", "ratioToFloor", "ratioToBestPeer", "notTimed" })
        {
            row.ContainsKey(field).Should().BeTrue(field);
        }

        row["perRunMicroseconds"]!.AsObject().Select(kv => kv.Key).Should().Contain(["median", "p10", "p90", "count"]);
    }

    [Test]
    public void Json_GpuLikeRun_CarriesFloorPeersAndRatios()
    {
        var shape = LayerShape.BertBase384;
        var floor = new DeviceFloor(700e12, 5e12, 8192, 1 << 30);
        var timing = new Measurement("cuda-graph", SampleSummary.Of([10, 11, 12]), SampleSummary.Of([20, 21]), 4, 1e6, 20, 40);
        var peer = new PeerResult("hf-bertlayer-sdpa graph", "canned", shape, "huggingface", SampleSummary.Of([50]), null);
        var row = new VariantRow("v", "cuda", "huggingface", "float16", shape, timing, null, 5, peer.Peer, 50);
        var run = new BenchRun(DateTimeOffset.UnixEpoch, "NVIDIA H100", null, floor, null, [floor.For(shape, 2)], "rotation", Benchmark.PerStage, [row], [], [peer], new BenchSettings([1], [384]));

        var json = BenchReport.Json(run, "harness bench");

        json["floor"]!["fp16FlopsPerSecond"]!.GetValue<double>().Should().Be(700e12);
        json["floor"]!["shapes"]![0]!["bound"]!.GetValue<string>().Should().Be(floor.For(shape, 2).Bound);
        json["variants"]![0]!["ratioToFloor"]!.GetValue<double>().Should().Be(11.0 / 5);
        json["variants"]![0]!["ratioToBestPeer"]!.GetValue<double>().Should().Be(11.0 / 50);
        json["peers"]![0]!["microseconds"]!["median"]!.GetValue<double>().Should().Be(50);
    }

    private static BenchRun CpuRun()
    {
        var variant = VariantCatalog.Load().Find("cpu-reference");
        var scenario = ScenarioCatalog.Resolve("small");
        BenchCase Case(LayerShape shape)
        {
            var instance = (scenario with { Shape = shape }).Materialize(MaterializeOptions.None);
            return new BenchCase(shape, instance.Inputs, instance.Weights, instance.Semantics.Name, 0);
        }

        var settings = new BenchSettings([2], [7, 9], Samples: 10, Warmup: 1, PythonPeers: false);
        return Benchmark.Run([variant], scenario.Shape, Case, settings, new Progress<string>());
    }
}
