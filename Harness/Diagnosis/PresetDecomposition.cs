using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>A semantics point: one field of <see cref="LayerSemantics"/> a preset may depart in, or a scenario comparison names.</summary>
public enum SemanticsPointKind
{
    Biases,
    ScoreScale,
    Softmax,
    Activation,
    LayerNorm,
    LayerNormEps,
    EpsPlacement,
    ResidualAdd,
    Fp16RoundingPoints,
    Fc2SplitK,
    Accumulation,
}

/// <summary>One semantics point of a preset: which it is, a copy of it from the first semantics into the second, and the stages whose numbers read it (null: every stage).</summary>
public sealed record SemanticsPoint(SemanticsPointKind Point, Func<LayerSemantics, LayerSemantics, LayerSemantics> Revert, IReadOnlyList<string>? ReadBy);

/// <summary>A departure the tensors show inside an explaining composite hypothesis: the point, and the semantics it is read from in the reference and in the alternative.</summary>
public sealed record SemanticsDeparture(SemanticsPointKind Point, LayerSemantics Reference, LayerSemantics Alternative);

/// <summary>
/// Names the departures inside an explaining composite hypothesis: each semantics point where the alternative differs
/// from the reference is set back to the reference's value in turn; a point without which the alternative no longer
/// explains the kernel is a departure the tensors show.
/// </summary>
public static class PresetDecomposition
{
    private static readonly string[] Linears = [StageNames.Projections, StageNames.AttentionDense, StageNames.Fc1, StageNames.Fc2];
    private static readonly string[] Gemms = [StageNames.Projections, StageNames.Scores, StageNames.Context, StageNames.AttentionDense, StageNames.Fc1, StageNames.Fc2];
    private static readonly string[] Norms = [StageNames.AttentionAddAndNorm, StageNames.OutputAddAndNorm];

    /// <summary>The semantics points a preset may depart in.</summary>
    // Invariant: a stage not listed for a point computes bit-identical numbers whatever that point's value
    // (PresetDecompositionTests checks every stage and point), so reverting a point no stage of the segment reads
    // reproduces the composite itself, which explains: it is no departure and is not recomputed (most of a
    // decomposition's reruns, each a full segment with emulated GEMMs, were of such points).
    public static IReadOnlyList<SemanticsPoint> Points { get; } =
    [
        new(SemanticsPointKind.Biases, (r, a) => a with { UseBiases = r.UseBiases }, Linears),
        new(SemanticsPointKind.ScoreScale, (r, a) => a with { ScoreScale = r.ScoreScale }, [StageNames.Scores]),
        new(SemanticsPointKind.Softmax, (r, a) => a with { Softmax = r.Softmax }, [StageNames.Softmax]),
        new(SemanticsPointKind.Activation, (r, a) => a with { Activation = r.Activation }, [StageNames.Activation]),
        new(SemanticsPointKind.LayerNorm, (r, a) => a with { LayerNorm = r.LayerNorm }, Norms),
        new(SemanticsPointKind.LayerNormEps, (r, a) => a with { LayerNormEps = r.LayerNormEps }, Norms),
        new(SemanticsPointKind.EpsPlacement, (r, a) => a with { EpsPlacement = r.EpsPlacement }, Norms),
        new(SemanticsPointKind.ResidualAdd, (r, a) => a with { ResidualInFp16 = r.ResidualInFp16 }, Norms),
        new(SemanticsPointKind.Fp16RoundingPoints, (r, a) => a with { Fp16RoundingPoints = r.Fp16RoundingPoints }, null),
        new(SemanticsPointKind.Fc2SplitK, (r, a) => a with { Fc2SplitK = r.Fc2SplitK }, [StageNames.Fc2]),
        new(SemanticsPointKind.Accumulation, (r, a) => a with { Accumulation = r.Accumulation }, Gemms),
    ];

    /// <param name="at">The composite's alternative at each stage of the segment it was tried on.</param>
    internal static IReadOnlyList<SemanticsDeparture> Departures(LayerVerification v, StageSegment segment, IReadOnlyDictionary<StageInfo, StageAlternative> at, IReadOnlyList<IsolatedTensor> targets)
    {
        var reference = v.ReferenceSemantics;
        var departures = new List<SemanticsDeparture>();
        foreach (var (point, revert, readBy) in Points)
        {
            var reverted = at.ToDictionary(p => p.Key, p => p.Value with { Semantics = revert(reference, p.Value.Semantics) });
            var changed = at.Where(p => reverted[p.Key].Semantics != p.Value.Semantics).Select(p => p.Value.Semantics).ToList();
            var read = at.Keys.Any(s => reverted[s].Semantics != at[s].Semantics && (readBy is null || readBy.Contains(s.Name)));
            if (!read)
            {
                continue;
            }

            using var produced = segment.RecomputeJudged(v, s => reverted.GetValueOrDefault(s), targets.Select(t => t.Name).ToList());
            if (!HypothesisEvaluator.Judge(v, targets, produced).All(t => t.Explains))
            {
                departures.Add(new SemanticsDeparture(point, reference, changed[0]));
            }
        }

        return departures;
    }
}
