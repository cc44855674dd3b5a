using Harness.Diagnosis;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Tests.Diagnosis;

/// <summary>Segments on the small scenario (B=2 S=7 H=3 D=5 F=11): which stages are folded in, and what they are computed from.</summary>
public class StageSegmentTests
{
    private static readonly Lazy<Harness.Comparison.LayerVerification> Reference = new(() =>
        DiagnosisSetups.Verify("cpu-reference", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace)));

    [Test]
    public void Of_GpuSouffleOutputs_FoldsEachUnwrittenProducerIntoItsConsumer()
    {
        var v = UnwrittenTensors.AsGpuSouffle(Reference.Value);

        Folded(v, StageNames.Projections).Should().BeEmpty();
        Folded(v, StageNames.Softmax).Should().Equal(StageNames.Scores);
        Folded(v, StageNames.Context).Should().BeEmpty();
        Folded(v, StageNames.AttentionAddAndNorm).Should().Equal(StageNames.AttentionDense);
        Folded(v, StageNames.Activation).Should().Equal(StageNames.Fc1);
        Folded(v, StageNames.OutputAddAndNorm).Should().Equal(StageNames.Fc2);
        var softmax = StageSegment.Of(v, StageCatalog.Stage(StageNames.Softmax));
        softmax.Folded.Should().ContainSingle();
        softmax.Folded[0].Unwritten.Should().Equal(AttnScores);
    }

    [Test]
    public void Of_OnlyOutputWritten_FoldsEveryStageUpToTheInput()
    {
        var v = UnwrittenTensors.Without(Reference.Value, Produced.Where(n => n != Output).ToList());

        var segment = StageSegment.Of(v, StageCatalog.Stage(StageNames.OutputAddAndNorm));

        segment.Stages.Select(s => s.Name).Should().Equal(StageCatalog.Stages.Select(s => s.Name));
        segment.Folded.Single(f => f.Stage.Name == StageNames.AttentionAddAndNorm).Unwritten.Should().Equal(AttnOutput);
    }

    [Test]
    public void Isolate_OnlyOutputWritten_RecomputesTheWholeLayerFromTheInput()
    {
        var v = UnwrittenTensors.Without(Reference.Value, Produced.Where(n => n != Output).ToList());

        var output = StageIsolation.Isolate(v).Single();

        output.Stage.Name.Should().Be(StageNames.OutputAddAndNorm);
        output.IntroducesError.Should().BeFalse();
        output.Tensors.Single().Inherited.MaxAbs.Should().BeLessThan(1e-9, "the whole layer in float64 from the input is the truth");
    }

    [Test]
    public void Isolate_UnwrittenScores_RecomputedFromTheKernelsQueryNotTakenFromTheTruth()
    {
        var clean = UnwrittenTensors.AsGpuSouffle(Reference.Value);
        var kernel = new Dictionary<string, HostTensor>(clean.Kernel) { [AttnQ] = Doubled(clean.Kernel[AttnQ]) };
        var v = clean with { Kernel = kernel };

        var softmax = StageIsolation.Isolate(v).Single(s => s.Stage.Name == StageNames.Softmax);

        // The truth's scores would leave the isolated probabilities on the truth; the kernel's doubled query moves them off it.
        softmax.Tensors.Single(t => t.Name == AttnProbs).Inherited.Passes.Should().BeFalse();
        StageIsolation.Isolate(clean).Single(s => s.Stage.Name == StageNames.Softmax).Tensors.Should().OnlyContain(t => t.Inherited.Passes);
    }

    private static IEnumerable<string> Folded(Harness.Comparison.LayerVerification v, string stage) =>
        StageSegment.Of(v, StageCatalog.Stage(stage)).Folded.Select(f => f.Stage.Name);

    private static HostTensor Doubled(HostTensor t) => new((long[])t.Shape.Clone(), t.Data.Select(x => 2 * x).ToArray(), t.Dtype);
}
