using Harness.Benchmarking;
using Harness.Cli;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Tests.Reporting;

/// <summary>The bench tables at the command line's width, from a synthetic run with the widest cells a real one has.</summary>
public class BenchTableTests
{
    [Test]
    public void Write_GpuLikeRunAtTheCommandLinesWidth_EveryLineFitsAndNamesStayWhole()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = Entry.TableWidth;

        BenchReport.Write(console, Run());

        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.Where(l => l.Contains('│')).Should().NotBeEmpty();
        lines.Should().OnlyContain(l => l.Length <= Entry.TableWidth, string.Join('\n', lines));
        lines.Should().Contain(l => l.Contains("cuda-souffle-fused-wmma", StringComparison.Ordinal), "a variant's name is never broken across lines");
        lines.Should().Contain(l => l.Contains("torchsharp-bertlayer-sdpa", StringComparison.Ordinal), "a peer's name is never broken across lines");
    }

    private static BenchRun Run()
    {
        var shapes = new[] { LayerShape.BertBase384, new LayerShape(32, 512, 16, 64, 4096) };
        var floor = new DeviceFloor(756.4e12, 3.35e12, 8192, 1 << 30);
        var timing = new Measurement("cuda-graph", SampleSummary.Of([12345.6, 12400.1, 12999.9]), SampleSummary.Of([13456.7, 13500.2]), 16, 1e8, 100, 1234);
        var peer = new PeerResult("torchsharp-bertlayer-sdpa eager", "TorchSharp BertLayer with scaled_dot_product_attention", shapes[1], "huggingface", SampleSummary.Of([99999.9, 100000.1]), null);
        var rows = shapes.SelectMany(shape => new[]
        {
            new VariantRow("cuda-souffle-fused-wmma", "cuda", "souffle", "float16", shape, timing, null, 1234.5, peer.Peer, 100000),
            new VariantRow("cuda-reference-tensor-cores", "cuda", "huggingface", "float16", shape, null, "crashed in its worker (SIGSEGV, signal 11) before timing", null, null, null),
        }).ToList();
        var unavailable = new PeerResult("hf-bertlayer-sdpa graph", "Hugging Face BertLayer", null, "huggingface", null, "python3 with torch and transformers not found on PATH");
        return new BenchRun(
            DateTimeOffset.UnixEpoch, "NVIDIA H100 80GB HBM3", null, floor, null, shapes.Select(s => floor.For(s, 2)).ToList(), "rotation through 16 parameter sets", Benchmark.PerStage,
            rows, [new RefusedShapes("fused", [(shapes[1], "fused needs D = 64 and S ≤ 384; this shape has S = 512")])], [peer, unavailable], new BenchSettings([1, 32], [384, 512]));
    }
}
