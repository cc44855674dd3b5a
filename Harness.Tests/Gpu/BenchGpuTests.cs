using Harness.Benchmarking;
using Harness.Kernels;
using Harness.Scenarios;
using Harness.Tests.Support;
using TorchSharp;

namespace Harness.Tests.Gpu;

/// <summary>The CUDA timer end to end on a GPU machine (no timing value asserted).</summary>
[Category("Gpu")]
[NonParallelizable]
public sealed class BenchGpuTests
{
    [Test]
    public void Run_CudaEmpty_TimedInGraphWithOneNodePerRunOrMore()
    {
        var variant = CudaEmpty();
        var settings = new BenchSettings([1], [128], Samples: 10, Warmup: 2, RunsPerGraph: 20, PythonPeers: false);

        var run = Benchmark.Run([variant], LayerShape.BertBase384, Case, settings, new Progress<string>());

        var row = run.Variants.Should().ContainSingle().Subject;
        row.NotTimed.Should().BeNull();
        row.Timing!.Method.Should().Be("cuda-graph");
        row.Timing.GraphNodes.Should().BeGreaterThanOrEqualTo(row.Timing.RunsPerSample);
        row.Timing.PerRun.Count.Should().Be(10);
        run.Floor.Should().NotBeNull();
        run.DeviceProperties!.L2Bytes.Should().BePositive();
    }

    private static KernelVariant CudaEmpty()
    {
        if (!torch.cuda.is_available())
        {
            Assert.Ignore("no CUDA device: TorchSharp reports torch.cuda.is_available() = false on this machine");
        }

        if (!File.Exists(TestLibraries.TestVariants))
        {
            Assert.Ignore($"the test-variants library is not built ({TestLibraries.TestVariants})");
        }

        var catalog = VariantCatalog.Load(TestLibraries.TestVariants);
        if (!catalog.Variants.Any(v => v.Name == "cuda-empty"))
        {
            Assert.Ignore("the test-variants library has no cuda-empty (built without a CUDA compiler?)");
        }

        return catalog.Find("cuda-empty");
    }

    private static BenchCase Case(LayerShape shape)
    {
        var instance = (ScenarioCatalog.Resolve("random") with { Shape = shape }).Materialize(MaterializeOptions.None);
        return new BenchCase(shape, instance.Inputs, instance.Weights, instance.Semantics.Name, 0);
    }
}
