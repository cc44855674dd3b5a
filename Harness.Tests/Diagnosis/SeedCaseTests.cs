using Harness.Diagnosis;
using Harness.Reporting;

namespace Harness.Tests.Diagnosis;

/// <summary>
/// The seed case: cpu-souffle on constant-debug judged against Hugging Face semantics. The findings must name every
/// departure of Souffle's layer from a Hugging Face layer that these tensors can show, each at its own stage, and say
/// that the zero biases cannot show a missing bias.
/// </summary>
public class SeedCaseTests
{
    [Test]
    public void Diagnose_SouffleAgainstHuggingFaceOnSmallConstantDebug_NamesEveryDeparture() =>
        AssertDepartures(LayerDiagnoser.Diagnose(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace))));

    [Test]
    public void Diagnose_SouffleOnSmallConstantDebug_AccumulationFitIncludesTheKernelsGroup()
    {
        var diagnosis = LayerDiagnoser.Diagnose(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace)));

        // With identical products at M = 32 several groups round alike; the kernel's k = 16 must be among the exact ones.
        diagnosis.Accumulation.Where(c => c.Exact).Select(c => c.Model).Should().Contain(new AccumulationModel(16));
        diagnosis.Findings.OfType<AccumulationGroupFit>().Should().ContainSingle().Which.ExactModels.Should().Contain(new AccumulationModel(16));
    }

    [Test]
    [Category("Slow")]
    [Explicit("bert-base at S=384: tens of seconds")]
    public void Diagnose_SouffleAgainstHuggingFaceOnConstantDebugAt384_NamesEveryDepartureAndK16()
    {
        var diagnosis = LayerDiagnoser.Diagnose(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.FromScenario("constant-debug", LayerSemantics.HuggingFace)));

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, FindingText.Lines(diagnosis.Findings)));
        AssertDepartures(diagnosis);
        diagnosis.Accumulation[0].Model.Should().Be(new AccumulationModel(16));
        diagnosis.Accumulation[0].Exact.Should().BeTrue();
    }

    private static void AssertDepartures(LayerDiagnosis diagnosis)
    {
        var findings = string.Join(Environment.NewLine, FindingText.Lines(diagnosis.Findings));
        diagnosis.Origin.Should().Be(TensorNames.AttnScores, findings);
        Best(diagnosis, TensorNames.AttnScores).Should().BeOneOf(["score scale fp16 1/sqrt(M)", "score scale 1/sqrt(M)"], findings);
        Best(diagnosis, TensorNames.AttnSoftmaxRowSum).Should().Be("softmax without max subtraction, fp16 exp", findings);
        Best(diagnosis, TensorNames.FfnFc1).Should().Be("activation ReLU", findings);

        var attentionNorm = diagnosis.StageOf(TensorNames.AttnOutput)!.Explaining.Single(h => h.Name == "souffle semantics for this stage");
        attentionNorm.Departures.Should().Contain(d => d.Point == SemanticsPointKind.LayerNorm && d.Reference.LayerNorm == LayerNormStyle.PerChannelAffine && d.Alternative.LayerNorm == LayerNormStyle.ScalarAffineFromSums, findings);
        attentionNorm.Departures.Should().Contain(d => d.Point == SemanticsPointKind.LayerNormEps, findings);

        diagnosis.Unshowable.Select(u => u.Name).Should().Contain(["QKV bias missing", "attention dense bias missing", "FC1 bias missing", "FC2 bias missing"]);
        diagnosis.Findings.OfType<CannotBeShown>().Select(c => c.Hypothesis).Should().Contain("QKV bias missing", findings);
    }

    private static string? Best(LayerDiagnosis d, string tensor) => d.StageOf(tensor)?.Best?.Name;
}
