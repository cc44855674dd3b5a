using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Dumps;
using Harness.Reference;
using Harness.Reporting;
using Harness.Scenarios;
using Harness.Tests.Conformance;

namespace Harness.Tests.Dumps;

/// <summary>Statistics logs judged against the reference: a trace passes, a k=8 fp16 kernel is named, comparability.</summary>
[NonParallelizable]
public sealed class StatsLogVerificationTests
{
    private static readonly Lazy<StatsDiagnosis> SouffleK8 = new(() =>
    {
        // The seed case at S=48 (its hidden size, where fp16 accumulation shows, kept): cpu-souffle at k=8, judged as Hugging Face.
        var scenario = SeedCase(48);
        var variant = Verifications.Catalog.Find("cpu-souffle");
        var souffle = LayerVerifier.Verify(variant, VerificationSetup.From(scenario, LayerSemantics.Souffle) with { AccumulationGroup = 8 });
        var log = Log(scenario, "cpu-souffle k=8", souffle.Kernel.Append(new(TensorNames.Input, souffle.Setup.Inputs.Hidden)));
        var verification = StatsLogVerifier.Verify(log, NameMap.BuiltIn, VerificationSetup.From(scenario, LayerSemantics.HuggingFace), "k8.log");
        return StatsDiagnoser.Diagnose(verification, scenario);
    });

    [TestCase("small", "huggingface")]
    [TestCase("small-round", "souffle")]
    public void Verify_TraceOfTheLowPrecisionReference_Passes(string scenarioName, string semantics)
    {
        var scenario = Verifications.Scenario(scenarioName);
        var preset = LayerSemantics.Preset(semantics);
        using var trace = BertLayerReference.Forward(
            scenario.Shape, scenario.Inputs.RoundedTo(scenario.Dtype), scenario.Weights.RoundedTo(scenario.Dtype),
            new ReferenceOptions(preset, scenario.Dtype, "cpu", scenario.ActivationOverrides, scenario.Shape.Heads));
        var log = Log(scenario, semantics, LayerTrace.Names.Select(n => new KeyValuePair<string, HostTensor>(n, trace.ToHost(n))));

        var verification = StatsLogVerifier.Verify(log, NameMap.BuiltIn, VerificationSetup.From(scenario, preset), "trace.log");

        verification.Verdicts.Should().HaveCount(TensorNames.Produced.Count);
        verification.Verdicts.Should().OnlyContain(v => v.Passed, "the trace is the reference in the kernel's dtype, which the budget admits by construction");
        verification.Operands.Should().ContainSingle(o => o.Name == TensorNames.Input).Which.Agrees.Should().BeTrue();
    }

    [Test]
    public void Diagnose_SouffleK8JudgedAsHuggingFace_NamesFp16AccumulationAtProjections()
    {
        var projections = SouffleK8.Value.Stages.Single(s => s.Stage == StageNames.Projections);

        SouffleK8.Value.FirstDivergence.Should().Be(TensorNames.AttnQ);
        projections.IntroducesError.Should().BeTrue();
        projections.Best!.Name.Should().Be("fp16 accumulation fp16 k=8 rn");
        projections.Hypotheses.Where(h => h.Explains).Should().ContainSingle("on a constant scenario the group size predicts exact constant values");
    }

    [Test]
    public void Diagnose_SouffleK8JudgedAsHuggingFace_FindingsNameFirstDivergenceAndTheExplainedProjections()
    {
        var findings = SouffleK8.Value.Findings;

        findings[0].Should().Be(new StatisticsFirstDivergence(TensorNames.AttnQ, "huggingface", SouffleK8.Value.Verification.ScenarioName));
        var projections = findings.OfType<StatsStageFinding>().Single(f => f.Stage == StageNames.Projections);
        projections.Outcome.Should().Be(StatsStageOutcome.Explained);
        projections.ExplainedBy.Should().Equal("fp16 accumulation fp16 k=8 rn");
        findings.OfType<StatsStageFinding>().Select(f => f.Stage).Should().Equal(SouffleK8.Value.Stages.Select(s => s.Stage), "one finding per diagnosed stage, in order");
    }

    [Test]
    public void Diagnose_SouffleK8JudgedAsHuggingFace_NamesFp16AccumulationAtContext()
    {
        var context = SouffleK8.Value.Stages.Single(s => s.Stage == StageNames.Context);

        context.Isolable.Should().BeTrue("attn.probs and attn.v are constant, so the log determines them");
        context.Hypotheses.Should().Contain(h => h.Name == "fp16 accumulation fp16 k=8 rn" && h.Explains);
        context.Hypotheses.Where(h => h.Name.StartsWith("fp16 accumulation fp16 k=1 ", StringComparison.Ordinal)).Should().OnlyContain(h => !h.Explains);
    }

    [Test]
    public void Verify_LogsOtherAttentionDenseWeight_DependentTensorsNotComparableNeverFailed()
    {
        var scenario = Verifications.Scenario("small");
        var native = Verifications.Of("cpu-reference", "small", "huggingface");
        var weight = native.Setup.Weights.AttentionOutputWeight;
        var other = new HostTensor(weight.Shape, weight.Data.Select(x => 1.5 * x).ToArray(), weight.Dtype);
        var log = Log(scenario, "x", native.Kernel.Append(new("attention.output.dense.weight", other)));

        var verification = StatsLogVerifier.Verify(log, NameMap.BuiltIn, VerificationSetup.From(scenario, LayerSemantics.HuggingFace), "x.log");

        var reason = verification.Verdict(TensorNames.AttnDense)!.NotComparable;
        reason.Should().StartWith("the log's attention.output.dense.weight has std");
        verification.Verdicts.Where(v => TensorNames.OrderOf(v.Name) >= TensorNames.OrderOf(TensorNames.AttnDense))
            .Should().OnlyContain(v => !v.Comparable && !v.Passed && v.NotComparable == reason);
        verification.Verdicts.Where(v => TensorNames.OrderOf(v.Name) < TensorNames.OrderOf(TensorNames.AttnDense)).Should().OnlyContain(v => v.Comparable && v.Passed);
        verification.FirstFailing.Should().BeNull("a tensor that is not comparable is never failed");
    }

    [Test]
    public void Verify_OneStatisticOffByMoreThanItsAllowance_FailsThatTensor()
    {
        var scenario = Verifications.Scenario("small");
        var native = Verifications.Of("cpu-reference", "small", "huggingface");
        var text = Text(scenario, "x", native.Kernel);
        var lines = text.Split('\n').ToList();
        var header = lines.IndexOf("=== attn.context ===");
        var mean = lines.FindIndex(header, l => l.StartsWith("Mean: ", StringComparison.Ordinal));
        lines[mean] = "Mean: 1.5";

        var verification = StatsLogVerifier.Verify(StatsLogParser.Parse(lines, "x.log"), NameMap.BuiltIn, VerificationSetup.From(scenario, LayerSemantics.HuggingFace), "x.log");

        verification.FirstFailing!.Name.Should().Be(TensorNames.AttnContext);
        verification.FirstFailing.Worst!.Statistic.Should().Be("mean");
    }

    internal static ScenarioInstance SeedCase(int sequence)
    {
        var scenario = ScenarioCatalog.Resolve("seed-case");
        return (scenario with { Shape = scenario.Shape with { Sequence = sequence } }).Materialize(MaterializeOptions.None);
    }

    private static IReadOnlyList<LoggedTensor> Log(ScenarioInstance scenario, string label, IEnumerable<KeyValuePair<string, HostTensor>> tensors) =>
        StatsLogParser.Parse(Text(scenario, label, tensors).Split('\n'), "log");

    /// <summary>The text `harness trace` and `harness dump --format text` print.</summary>
    private static string Text(ScenarioInstance scenario, string label, IEnumerable<KeyValuePair<string, HostTensor>> tensors) =>
        TraceText.Render(new TraceDocument(scenario.Name, scenario.Description, scenario.Shape, scenario.Dtype, "cpu", scenario.Settings,
            [new SemanticsTrace(label, tensors.Select(p => (p.Key, TensorStatistics.Of(p.Value))).ToList())]));
}
