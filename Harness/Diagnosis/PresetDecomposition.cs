using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>
/// Names the departures inside an explaining composite hypothesis: each semantics point where the alternative differs
/// from the reference is set back to the reference's value in turn; a point without which the alternative no longer
/// explains the kernel is a departure the tensors show.
/// </summary>
public static class PresetDecomposition
{
    /// <summary>Semantics points: a label and a copy of that point from the first semantics into the second.</summary>
    private static readonly (string Label, Func<LayerSemantics, string> Show, Func<LayerSemantics, LayerSemantics, LayerSemantics> Revert)[] Points =
    [
        ("biases", s => s.UseBiases ? "added" : "none", (r, a) => a with { UseBiases = r.UseBiases }),
        ("score scale", s => s.ScoreScale.ToString(), (r, a) => a with { ScoreScale = r.ScoreScale }),
        ("softmax", s => s.Softmax.ToString(), (r, a) => a with { Softmax = r.Softmax }),
        ("activation", s => s.Activation.ToString(), (r, a) => a with { Activation = r.Activation }),
        ("LayerNorm", s => LayerNormText(s.LayerNorm), (r, a) => a with { LayerNorm = r.LayerNorm }),
        ("LayerNorm eps", s => s.LayerNormEps.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), (r, a) => a with { LayerNormEps = r.LayerNormEps }),
        ("eps placement", s => s.EpsPlacement.ToString(), (r, a) => a with { EpsPlacement = r.EpsPlacement }),
        ("residual add", s => s.ResidualInFp16 ? "fp16" : "working dtype", (r, a) => a with { ResidualInFp16 = r.ResidualInFp16 }),
        ("fp16 rounding points", s => s.Fp16RoundingPoints ? "on" : "off", (r, a) => a with { Fp16RoundingPoints = r.Fp16RoundingPoints }),
        ("FC2 split-K", s => s.Fc2SplitK.ToString(System.Globalization.CultureInfo.InvariantCulture), (r, a) => a with { Fc2SplitK = r.Fc2SplitK }),
        ("accumulation", s => s.Accumulation.ToString(), (r, a) => a with { Accumulation = r.Accumulation }),
    ];

    private static string LayerNormText(LayerNormStyle style) => style switch
    {
        LayerNormStyle.PerChannelAffine => "two-pass with per-channel affine",
        LayerNormStyle.ScalarAffineFromSums => "one-pass Σx, Σx² with fp16 mean/rstd and scalar affine",
        _ => "without affine",
    };

    /// <param name="at">The composite's alternative at each stage of the segment it was tried on.</param>
    internal static IReadOnlyList<string> Departures(LayerVerification v, StageSegment segment, IReadOnlyDictionary<StageInfo, StageAlternative> at, IReadOnlyList<IsolatedTensor> targets)
    {
        var reference = v.ReferenceSemantics;
        var departures = new List<string>();
        foreach (var (label, show, revert) in Points)
        {
            var reverted = at.ToDictionary(p => p.Key, p => p.Value with { Semantics = revert(reference, p.Value.Semantics) });
            var changed = at.Where(p => reverted[p.Key].Semantics != p.Value.Semantics).Select(p => p.Value.Semantics).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            var produced = segment.Recompute(v, s => reverted.GetValueOrDefault(s), ElementType.Float64);
            if (!HypothesisEvaluator.Judge(v, targets, produced).All(t => t.Explains))
            {
                departures.Add($"{label} {show(reference)} → {show(changed[0])}");
            }
        }

        return departures;
    }
}
