using Harness.Benchmarking;
using Harness.Isolation;
using Harness.Scenarios;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>The bench runs each (variant, shape) once in a worker first: a crashing variant's row fails, the others are timed.</summary>
public sealed class BenchIsolationTests
{
    [Test]
    public void Run_SegfaultingVariantBesideAnHonestOne_OnlyItsRowFailsNamingTheSignal()
    {
        var catalog = Verifications.Catalog;
        var scenario = ScenarioCatalog.Resolve("small");
        BenchCase Case(LayerShape shape)
        {
            var instance = (scenario with { Shape = shape }).Materialize(MaterializeOptions.None);
            return new BenchCase(shape, instance.Inputs, instance.Weights, instance.Semantics.Name, 0);
        }

        var settings = new BenchSettings([1], [7], Samples: 10, Warmup: 1, PythonPeers: false) { Isolation = new WorkerOptions(Isolated.Timeout) };

        var run = Benchmark.Run([catalog.Find("cpu-faulty-segfault"), catalog.Find("cpu-reference")], scenario.Shape, Case, settings, new Progress<string>());

        run.Variants.Should().HaveCount(2);
        run.Variants[0].Timing.Should().BeNull();
        run.Variants[0].NotTimed.Should().Contain("SIGSEGV");
        run.Variants[1].Timing.Should().NotBeNull();
        run.Variants[1].NotTimed.Should().BeNull();
    }
}
