using System.Globalization;
using Harness.Diagnosis;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;

namespace Harness.Reporting;

/// <summary>The words of a hypothesis: its description, which completes "best explanation: ...", and the departures inside a composite one.</summary>
public static class HypothesisText
{
    public static string Description(HypothesisDescription description) => description switch
    {
        ScoreScaleDescription d => d.Scale switch
        {
            ScoreScale.InverseSqrtModelWidth => "softmax scale 1/sqrt(M) (model width)",
            ScoreScale.InverseSqrtHeadSize => "softmax scale 1/sqrt(D) (head size)",
            ScoreScale.None => "scores not scaled at all",
            ScoreScale.Fp16InverseSqrtModelWidth => "softmax scale half(1)/hsqrt(half(M)) (Souffle's fp16 1/sqrt(M))",
            _ => throw Unworded(d.Scale),
        },
        ActivationDescription d => d.Activation switch
        {
            Activation.Relu => "ReLU instead of the reference's activation",
            Activation.GeluErf => "GELU in its exact erf form",
            Activation.GeluTanh => "GELU in its tanh approximation",
            _ => throw Unworded(d.Activation),
        },
        SoftmaxDescription d => d.Style switch
        {
            SoftmaxStyle.Fp16ExpWithoutMax => "softmax without max subtraction, exp rounded to fp16 (Souffle)",
            SoftmaxStyle.MaxSubtracted => "softmax with the row maximum subtracted (Hugging Face)",
            _ => throw Unworded(d.Style),
        },
        LayerNormEpsDescription d => $"LayerNorm eps {Eps(d.Eps)} ({Owner(d.Preset)}'s)",
        EpsPlacementDescription d => d.Placement == EpsPlacement.OutsideRoot
            ? "LayerNorm dividing by sqrt(var) + eps instead of sqrt(var + eps)"
            : "LayerNorm dividing by sqrt(var + eps) instead of sqrt(var) + eps",
        LayerNormStyleDescription d => d.Style switch
        {
            LayerNormStyle.ScalarAffineFromSums => "LayerNorm from one-pass Σx, Σx² with mean, std and 1/std rounded to fp16 and a scalar affine (Souffle)",
            LayerNormStyle.NoAffine => "LayerNorm without its affine step (gamma 1, beta 0)",
            LayerNormStyle.PerChannelAffine => "LayerNorm in two passes with a per-channel affine",
            _ => throw Unworded(d.Style),
        },
        ScalarAffineDescription => "LayerNorm with one scalar gamma and beta for every channel instead of per-channel ones",
        AccumulationDescription d =>
            $"GEMM accumulated in fp16 ({d.Model}: groups of {d.Model.GroupSize} products, one {(d.Model.Rounding == AccumulationRounding.NearestEven ? "round-to-nearest" : "round-toward-zero")} per group)",
        PresetDescription d => $"the {d.Preset.Name} semantics for this stage",
        BiasMissingDescription d => $"{d.Gemm.Label} bias not added",
        WeightUntransposedDescription d => $"{d.Gemm.Label} weight used untransposed (x·W instead of x·Wᵀ)",
        ResidualMissingDescription => "residual not added before the LayerNorm",
        HeadsMergedDescription => "heads merged back in the wrong order (context column d*H + h instead of h*D + d)",
        PairDescription d => $"{Description(d.Folded)}, with {Description(d.Judged)}",
        _ => throw new ArgumentOutOfRangeException(nameof(description), description.GetType().Name, "a hypothesis description without words"),
    };

    /// <summary>Why this layer cannot show a hypothesis.</summary>
    public static string Unshowable(UnshowableReason reason) => reason switch
    {
        ZeroBiasesReason r => $"the {r.Gemm.Label} biases are all zero in this layer, so a missing {r.Gemm.Label} bias cannot be shown",
        CoincidingHeadOrdersReason r => $"with H={r.Heads} and D={r.HeadSize} both head orders coincide",
        IdentityAffineReason r => $"LayerNorm gamma is 1 and beta 0 in this layer, so {(r.AffineSkipped ? "a skipped affine step" : "the affine form")} cannot be shown",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason.GetType().Name, "an unshowable reason without words"),
    };

    public static IReadOnlyList<string> Departures(IEnumerable<SemanticsDeparture> departures) => departures.Select(Departure).ToList();

    /// <summary>"LayerNorm eps 1e-12 → 1e-05": the point, its reference value and its value in the alternative.</summary>
    public static string Departure(SemanticsDeparture departure)
    {
        ArgumentNullException.ThrowIfNull(departure);
        return $"{SemanticsPointText.Name(departure.Point)} {SemanticsPointText.Value(departure.Point, departure.Reference)} → {SemanticsPointText.Value(departure.Point, departure.Alternative)}";
    }

    /// <summary>"1e-5" for a power of ten, else three significant digits.</summary>
    private static string Eps(double eps)
    {
        var exponent = (int)Math.Round(Math.Log10(eps));
        return Math.Abs((Math.Pow(10, exponent) / eps) - 1) < 1e-9
            ? string.Create(CultureInfo.InvariantCulture, $"1e{exponent}")
            : eps.ToString("G3", CultureInfo.InvariantCulture);
    }

    private static string Owner(LayerSemantics preset) =>
        preset.Name == LayerSemantics.Souffle.Name ? "Souffle" : preset.Name == LayerSemantics.HuggingFace.Name ? "Hugging Face" : preset.Name;

    private static ArgumentOutOfRangeException Unworded<T>(T value) where T : struct, Enum =>
        new(nameof(value), value.ToString(), $"a {typeof(T).Name} without words");
}
