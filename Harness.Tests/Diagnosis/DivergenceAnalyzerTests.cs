using Harness.Diagnosis;

namespace Harness.Tests.Diagnosis;

/// <summary>Origin, inherited and introduced errors on kernels whose defect is documented (small scenario).</summary>
public class DivergenceAnalyzerTests
{
    [Test]
    public void Analyze_CpuReference_EveryTensorPassed()
    {
        var v = DiagnosisSetups.Verify("cpu-reference", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace));

        var kinds = DivergenceAnalyzer.Analyze(v.Comparison, StageIsolation.Isolate(v));

        kinds.Should().HaveCount(19).And.OnlyContain(k => k.Kind == DivergenceKind.Passed);
    }

    [Test]
    public void Analyze_DenseUntransposed_OriginAtDenseAndDownstreamFailuresInherited()
    {
        var v = DiagnosisSetups.Verify("cpu-mutant-dense-untransposed", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace));

        var kinds = DivergenceAnalyzer.Analyze(v.Comparison, StageIsolation.Isolate(v)).ToDictionary(k => k.Tensor, k => k.Kind);

        kinds[TensorNames.AttnDense].Should().Be(DivergenceKind.Origin);
        kinds[TensorNames.AttnContext].Should().Be(DivergenceKind.Passed);
        kinds.Where(k => TensorNames.OrderOf(k.Key) > TensorNames.OrderOf(TensorNames.AttnDense) && k.Value != DivergenceKind.Passed)
            .Should().NotBeEmpty().And.OnlyContain(k => k.Value == DivergenceKind.Inherited);
    }

    [Test]
    public void Analyze_SouffleAgainstHuggingFace_LaterDeparturesIntroduceTheirOwnError()
    {
        var v = DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace));

        var kinds = DivergenceAnalyzer.Analyze(v.Comparison, StageIsolation.Isolate(v)).ToDictionary(k => k.Tensor, k => k.Kind);

        kinds[TensorNames.AttnScores].Should().Be(DivergenceKind.Origin);
        kinds[TensorNames.FfnFc1].Should().Be(DivergenceKind.IntroducesOwnError);
        kinds[TensorNames.FfnFc1Linear].Should().Be(DivergenceKind.Inherited);
    }
}
