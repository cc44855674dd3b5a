using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>
/// A worker asked to rerun sends its first run's outputs before the reruns: LayerVerifier.Start judges them at once
/// (Early), and Complete adds the reruns' verdict to that very judgement, or judges again when the worker dies while
/// rerunning, as if it had died at once.
/// </summary>
public sealed class FirstRunEarlyTests
{
    // Runs the worker to its end, then removes its final response and dies by SIGKILL: to the harness, a worker killed
    // while rerunning, after it sent the first run (the file beside the response path, the last argument).
    private const string DieAfterTheRuns = """
        "$@" || exit $?
        for last; do :; done
        [ -e "$last.first" ] || exit 3
        rm -f "$last"
        kill -9 $$
        """;

    [Test]
    public void Start_RerunningVariant_EarlyHasNoRerunsVerdictAndCompleteAddsItToTheSameJudgement()
    {
        using var pending = LayerVerifier.Start(Verifications.Catalog.Find("cpu-faulty-race"), Isolated.Setup(runs: 5));

        var early = pending.Early;
        var complete = pending.Complete();

        early.Should().NotBeNull();
        early!.Determinism.Should().BeNull();
        early.Fault.Should().BeNull();
        complete.Determinism!.IsRace.Should().BeTrue();
        complete.Passed.Should().BeFalse();
        pending.CompletesEarly.Should().BeTrue();
        complete.Comparison.Should().BeSameAs(early.Comparison);
        complete.Kernel.Should().BeSameAs(early.Kernel);
    }

    [Test]
    public void Start_OneRun_NoEarlyVerificationAndCompleteAsVerify()
    {
        using var pending = LayerVerifier.Start(Verifications.Catalog.Find("cpu-reference"), Isolated.Setup(runs: 1));

        var complete = pending.Complete();

        pending.Early.Should().BeNull();
        pending.CompletesEarly.Should().BeFalse();
        complete.Passed.Should().BeTrue();
        complete.Determinism.Should().BeNull();
    }

    [Test]
    public void Start_WorkerKilledWhileRerunning_CompleteIsTheSignalFaultJudgedAgain()
    {
        var setup = Isolated.Setup(runs: 3) with
        {
            Isolation = new WorkerOptions(Isolated.Timeout) { Wrapper = ["bash", "-c", DieAfterTheRuns, "die-after-the-runs"] },
        };
        using var pending = LayerVerifier.Start(Verifications.Catalog.Find("cpu-reference"), setup);

        var early = pending.Early;
        var complete = pending.Complete();

        early.Should().NotBeNull("the worker sent its first run before it died");
        early!.Passed.Should().BeTrue();
        complete.Fault.Should().NotBeNull();
        complete.Fault!.Kind.Should().Be(KernelFaultKind.Signal);
        complete.Fault.Code.Should().Be(9);
        pending.CompletesEarly.Should().BeFalse();
        complete.Comparison.Verdicts.Should().NotBeEmpty().And.OnlyContain(t => !t.Passed);
    }

    [Test]
    public void Diagnose_EarlyVerification_SameFindingsAsTheCompleteOne()
    {
        // cpu-souffle judged as Hugging Face: error enters at several stages, each with its hypotheses ranked.
        using var pending = LayerVerifier.Start(Verifications.Catalog.Find("cpu-souffle"), Isolated.Setup(runs: 3));

        var fromEarly = LayerDiagnoser.Diagnose(pending.Early!);
        var fromComplete = LayerDiagnoser.Diagnose(pending.Complete());

        fromComplete.Findings.Should().NotBeEmpty();
        fromEarly.Findings.Should().BeEquivalentTo(fromComplete.Findings, o => o.WithStrictOrdering().RespectingRuntimeTypes());
        fromEarly.Stages.Select(s => s.Ranked.Select(h => (h.Name, h.FractionRemoved))).Should()
            .BeEquivalentTo(fromComplete.Stages.Select(s => s.Ranked.Select(h => (h.Name, h.FractionRemoved))), o => o.WithStrictOrdering());
    }
}
