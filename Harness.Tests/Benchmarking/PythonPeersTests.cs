using Harness.Benchmarking;

namespace Harness.Tests.Benchmarking;

/// <summary>scripts/bench_peers.py's output, fed through the parser as canned documents.</summary>
public sealed class PythonPeersTests
{
    private const string Results = """
        {
         "schemaVersion": 1, "device": "NVIDIA H100", "torch": "2.11.0", "transformers": "4.57.0", "attention": "sdpa",
         "dtype": "float16", "l2Bytes": 52428800,
         "results": [
          {"batch": 1, "sequence": 384, "mode": "eager", "runsPerSample": 20, "parameterSets": 5, "samplesUs": [290, 280, 285]},
          {"batch": 1, "sequence": 384, "mode": "graph", "runsPerSample": 20, "parameterSets": 5, "samplesUs": [57, 58, 56, 57]},
          {"batch": 8, "sequence": 512, "mode": "eager", "error": "OutOfMemoryError: CUDA out of memory"}
         ]
        }
        """;

    [Test]
    public void Parse_Results_OneRowPerShapeAndModeWithMedians()
    {
        var rows = PythonPeers.Parse(Results, LayerShape.BertBase384 with { Batch = 99 });

        rows.Should().HaveCount(3);
        var eager = rows[0];
        eager.Peer.Should().Be("hf-bertlayer-sdpa eager");
        eager.Shape.Should().Be(LayerShape.BertBase384);
        eager.Semantics.Should().Be("huggingface");
        eager.Timing!.Median.Should().Be(285);
        eager.Description.Should().Contain("torch 2.11.0").And.Contain("transformers 4.57.0").And.Contain("sdpa");
        rows[1].Peer.Should().Be("hf-bertlayer-sdpa graph");
        rows[1].Timing!.Median.Should().Be(57);
    }

    [Test]
    public void Parse_ShapeError_RowSaysWhy()
    {
        var row = PythonPeers.Parse(Results, LayerShape.BertBase384)[2];

        row.Timing.Should().BeNull();
        row.Shape.Should().Be(LayerShape.BertBase384 with { Batch = 8, Sequence = 512 });
        row.Unavailable.Should().Contain("out of memory");
    }

    [Test]
    public void Parse_Unavailable_OneRowWithTheReason()
    {
        var rows = PythonPeers.Parse("""{"schemaVersion": 1, "unavailable": "python3 has torch but no transformers (No module named 'transformers')"}""", LayerShape.BertBase384);

        rows.Should().ContainSingle().Which.Unavailable.Should().Contain("no transformers");
    }

    [Test]
    public void Parse_NotJson_RowSaysNoJson()
    {
        PythonPeers.Parse("Traceback (most recent call last):", LayerShape.BertBase384)
            .Should().ContainSingle().Which.Unavailable.Should().Contain("no JSON");
    }

    [Test]
    public void Run_MissingInterpreter_RowSaysItCannotBeStarted()
    {
        var settings = new BenchSettings([1], [384], Python: "/nonexistent/python3", PeersScript: typeof(PythonPeersTests).Assembly.Location);

        PythonPeers.Run([LayerShape.BertBase384], 50L << 20, settings)
            .Should().ContainSingle().Which.Unavailable.Should().Contain("cannot be started");
    }
}
