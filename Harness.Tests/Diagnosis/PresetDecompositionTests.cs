using Harness.Diagnosis;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;

namespace Harness.Tests.Diagnosis;

/// <summary>
/// The stages each semantics point is listed as read by (<see cref="PresetDecomposition.Points"/>): the decomposition
/// skips a point no stage of a segment reads, which is exact only if every other stage computes the same numbers
/// whatever the point's value. Checked on the small-round scenario's float64 truth, every stage, every point (F = 32:
/// two 16-wide k-tiles, so FC2's split over interleaved k-tiles has two parts to show).
/// </summary>
public class PresetDecompositionTests
{
    private static readonly Lazy<Harness.Comparison.LayerVerification> Reference = new(() =>
        DiagnosisSetups.Verify("cpu-reference", DiagnosisSetups.FromScenario("small-round", LayerSemantics.HuggingFace)));

    // Every point differs between these two (the test below checks it), so reverting any one of them changes something.
    private static readonly LayerSemantics From = LayerSemantics.HuggingFace;
    private static readonly LayerSemantics Alternative = LayerSemantics.Souffle with { EpsPlacement = EpsPlacement.OutsideRoot, Accumulation = new AccumulationModel(4) };

    // fp16 mean and 1/std absorb eps 1e-12 vs 1e-5 on these values, so the listed-stage check runs without rounding points.
    private static readonly LayerSemantics Unrounded = Alternative with { Fp16RoundingPoints = false };

    private static IEnumerable<TestCaseData> Unlisted() =>
        from point in PresetDecomposition.Points.Where(p => p.ReadBy is not null)
        from stage in StageCatalog.Stages.Where(s => !point.ReadBy!.Contains(s.Name))
        select new TestCaseData(point.Point, stage.Name).SetName($"Recompute_{stage.Name}WithoutReading{point.Point}_Unchanged");

    private static IEnumerable<TestCaseData> Listed() =>
        from point in PresetDecomposition.Points.Where(p => p.ReadBy is not null)
        from stage in point.ReadBy!
        select new TestCaseData(point.Point, stage).SetName($"Recompute_{stage}Reading{point.Point}_Changes");

    [Test]
    public void Points_HuggingFaceAndAlternative_DifferInEveryPoint()
    {
        foreach (var point in PresetDecomposition.Points)
        {
            point.Revert(From, Alternative).Should().NotBe(Alternative, point.Point.ToString());
        }
    }

    [TestCaseSource(nameof(Unlisted))]
    public void Recompute_StageNotListedForPoint_BitIdenticalWhenPointReverted(SemanticsPointKind point, string stage)
    {
        var semanticsPoint = PresetDecomposition.Points.Single(p => p.Point == point);

        var reverted = Run(stage, semanticsPoint.Revert(From, Alternative));
        var alternative = Run(stage, Alternative);

        foreach (var (name, values) in alternative)
        {
            reverted[name].Should().Equal(values, $"{stage} does not read {point}, so {name} must not move");
        }
    }

    /// <summary>The data are rich enough to show each listed point: reverting it moves some product of the stage.</summary>
    [TestCaseSource(nameof(Listed))]
    public void Recompute_StageListedForPoint_ChangesWhenPointReverted(SemanticsPointKind point, string stage)
    {
        var semanticsPoint = PresetDecomposition.Points.Single(p => p.Point == point);

        var reverted = Run(stage, semanticsPoint.Revert(From, Unrounded));
        var alternative = Run(stage, Unrounded);

        alternative.Any(p => !p.Value.SequenceEqual(reverted[p.Key])).Should().BeTrue($"{stage} is listed as reading {point}");
    }

    private static Dictionary<string, double[]> Run(string stageName, LayerSemantics semantics)
    {
        var v = Reference.Value;
        var stage = StageCatalog.Stage(stageName);
        using var scope = torch.NewDisposeScope();
        using var ctx = StageContext.Create(v.Shape, v.Setup.Weights, v.Setup.Inputs.AttentionMask, semantics, ElementType.Float64, "cpu");
        var upstream = stage.Consumes.ToDictionary(n => n, n => HostTensors.ToTorch(v.Truth[n]));
        return StageCatalog.Recompute(stageName, upstream, ctx).ToDictionary(p => p.Key, p => HostTensors.ToHost(p.Value).Data);
    }
}
