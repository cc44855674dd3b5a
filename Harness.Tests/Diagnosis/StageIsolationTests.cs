using Harness.Diagnosis;
using Harness.Reference;

namespace Harness.Tests.Diagnosis;

/// <summary>Stage isolation on the small scenario (B=2 S=7 H=3 D=5 F=11): honest kernels introduce nothing; a defect is pinned to its stage.</summary>
public class StageIsolationTests
{
    [Test]
    public void Isolate_CpuReference_NoStageIntroducesError()
    {
        var v = DiagnosisSetups.Verify("cpu-reference", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace));

        var isolation = StageIsolation.Isolate(v);

        isolation.Select(s => s.Stage.Name).Should().HaveCount(10);
        isolation.Should().OnlyContain(s => !s.IntroducesError);
        isolation.SelectMany(s => s.Tensors).Should().OnlyContain(t => t.Inherited.Passes);
    }

    [Test]
    public void Isolate_HeadsMergedWrong_OnlyContextIntroducesErrorAndDownstreamInherits()
    {
        var v = DiagnosisSetups.Verify("cpu-mutant-heads-merged-wrong", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace));

        var isolation = StageIsolation.Isolate(v);

        isolation.Where(s => s.IntroducesError).Select(s => s.Stage.Name).Should().Equal(StageNames.Context);
        var dense = isolation.Single(s => s.Stage.Name == StageNames.AttentionDense).Tensors.Single();
        dense.Introduced.Passed.Should().BeTrue();
        dense.Inherited.Passes.Should().BeFalse();
    }

    [Test]
    public void Isolate_KernelWithoutQkvSplit_UsesItsStackedQkvWithoutFoldingProjections()
    {
        var full = DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.Souffle, new LayerShape(1, 7, 3, 5, 11)));
        var v = UnwrittenTensors.Without(full, [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV]);

        var scores = StageIsolation.Isolate(v).Single(s => s.Stage.Name == StageNames.Scores);

        scores.Segment.IsFolded.Should().BeFalse();
        scores.IntroducesError.Should().BeFalse();
    }
}
