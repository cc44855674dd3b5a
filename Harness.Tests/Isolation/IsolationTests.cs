using Harness.Comparison;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>
/// A variant run in a worker process takes down its worker only: a segfault, an abort or a hang (the test variants
/// of native/tests/variants/cpu_faulty_crash.cpp) fails that variant's cases with the signal or the timeout named, and
/// the next variant runs as if nothing had happened. Everything faulty runs through workers, never in this process.
/// </summary>
public sealed class IsolationTests
{
    private static IEnumerable<TestCaseData> Crashes()
    {
        yield return new TestCaseData("cpu-faulty-segfault", 11).SetName("Verify_Segfault_FaultIsSignal11");
        yield return new TestCaseData("cpu-faulty-abort", 6).SetName("Verify_Abort_FaultIsSignal6");
    }

    [TestCaseSource(nameof(Crashes))]
    public void Verify_CrashingVariant_FaultNamesSignalAndEveryTensorFails(string variant, int signal)
    {
        var v = Isolated.Verify(variant);

        v.Fault.Should().NotBeNull();
        v.Fault!.Kind.Should().Be(KernelFaultKind.Signal);
        v.Fault.Code.Should().Be(signal);
        v.Fault.Variant.Should().Be(variant);
        v.Passed.Should().BeFalse();
        v.Comparison.Verdicts.Should().NotBeEmpty().And.OnlyContain(t => !t.Passed);
    }

    [Test]
    public void Verify_HangingVariant_KilledAtTheTimeoutAndFaultIsTimeout()
    {
        var timeout = TimeSpan.FromSeconds(6);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var v = Isolated.Verify("cpu-faulty-hang", timeout: timeout);

        clock.Elapsed.Should().BeLessThan(timeout + TimeSpan.FromSeconds(15));
        v.Fault.Should().NotBeNull();
        v.Fault!.Kind.Should().Be(KernelFaultKind.Timeout);
        v.Fault.Timeout.Should().Be(timeout);
        v.Passed.Should().BeFalse();
    }

    [Test]
    public void Verify_HonestVariantAfterACrash_StillRunsAndPasses()
    {
        var crashed = Isolated.Verify("cpu-faulty-segfault");
        var honest = Isolated.Verify("cpu-reference");

        crashed.Fault.Should().NotBeNull();
        honest.Fault.Should().BeNull();
        honest.Passed.Should().BeTrue();
        honest.Comparison.Verdicts.Should().HaveCountGreaterThan(10).And.OnlyContain(t => t.Passed);
    }

    [Test]
    public void IsolatedRun_CpuReference_OutputsBitIdenticalToInProcess()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var setup = Isolated.Setup();
        var request = new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, "huggingface");

        var isolated = IsolatedKernelRunner.Run(variant, request, 1, setup.Isolation!);
        var local = KernelRunner.Run(variant, request);

        isolated.Fault.Should().BeNull();
        isolated.Outputs.Keys.Should().BeEquivalentTo(local.Outputs.Keys);
        foreach (var (name, tensor) in local.Outputs)
        {
            isolated.Outputs[name].Shape.Should().Equal(tensor.Shape, name);
            isolated.Outputs[name].Data.Should().Equal(tensor.Data, name);
            isolated.Outputs[name].Dtype.Should().Be(tensor.Dtype, name);
        }
    }

    [Test]
    public void IsolatedRun_WorkerProgramMissing_WorkerUnavailable()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var setup = Isolated.Setup();
        var request = new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, "huggingface");

        var act = () => IsolatedKernelRunner.Run(variant, request, 1, new WorkerOptions(Isolated.Timeout, "/nonexistent/harness-worker"));

        act.Should().Throw<WorkerUnavailableException>().WithMessage("*/nonexistent/harness-worker*");
    }

    [Test]
    public void IsolatedRun_ShapeOutsideLimits_RefusedBeforeAWorkerStarts()
    {
        var variant = Verifications.Catalog.Find("cpu-throwaway");
        var setup = Isolated.Setup();
        var request = new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, "huggingface");

        // small has D = 5; cpu-throwaway declares D even. The missing worker program would throw otherwise.
        var act = () => IsolatedKernelRunner.Run(variant, request, 1, new WorkerOptions(Isolated.Timeout, "/nonexistent/harness-worker"));

        act.Should().Throw<Harness.Native.UnsupportedShapeException>();
    }
}
