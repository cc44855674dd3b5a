using System.Globalization;
using Harness.Diagnosis;
using Harness.Model;

namespace Harness.Reporting;

/// <summary>
/// The words of one semantics point and of its setting in a semantics: the same in a hypothesis's departures
/// ("LayerNorm eps 1E-12 → 1E-05") and in a scenario comparison ("has LayerNorm eps 1E-12").
/// </summary>
public static class SemanticsPointText
{
    public static string Name(SemanticsPointKind point) => point switch
    {
        SemanticsPointKind.Biases => "biases",
        SemanticsPointKind.ScoreScale => "score scale",
        SemanticsPointKind.Softmax => "softmax",
        SemanticsPointKind.Activation => "activation",
        SemanticsPointKind.LayerNorm => "LayerNorm",
        SemanticsPointKind.LayerNormEps => "LayerNorm eps",
        SemanticsPointKind.EpsPlacement => "eps placement",
        SemanticsPointKind.ResidualAdd => "residual add",
        SemanticsPointKind.Fp16RoundingPoints => "fp16 rounding points",
        SemanticsPointKind.Fc2SplitK => "FC2 split-K",
        SemanticsPointKind.Accumulation => "accumulation",
        _ => throw Unworded(point),
    };

    public static string Value(SemanticsPointKind point, LayerSemantics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return point switch
        {
            SemanticsPointKind.Biases => s.UseBiases ? "added" : "none",
            SemanticsPointKind.ScoreScale => s.ScoreScale.ToString(),
            SemanticsPointKind.Softmax => s.Softmax.ToString(),
            SemanticsPointKind.Activation => s.Activation.ToString(),
            SemanticsPointKind.LayerNorm => s.LayerNorm switch
            {
                LayerNormStyle.PerChannelAffine => "two-pass with per-channel affine",
                LayerNormStyle.ScalarAffineFromSums => "one-pass Σx, Σx² with fp16 mean/rstd and scalar affine",
                _ => "without affine",
            },
            SemanticsPointKind.LayerNormEps => s.LayerNormEps.ToString("G3", CultureInfo.InvariantCulture),
            SemanticsPointKind.EpsPlacement => s.EpsPlacement.ToString(),
            SemanticsPointKind.ResidualAdd => s.ResidualInFp16 ? "fp16" : "working dtype",
            SemanticsPointKind.Fp16RoundingPoints => s.Fp16RoundingPoints ? "on" : "off",
            SemanticsPointKind.Fc2SplitK => s.Fc2SplitK.ToString(CultureInfo.InvariantCulture),
            SemanticsPointKind.Accumulation => s.Accumulation.ToString(),
            _ => throw Unworded(point),
        };
    }

    private static ArgumentOutOfRangeException Unworded(SemanticsPointKind point) =>
        new(nameof(point), point.ToString(), "a semantics point without words");
}
