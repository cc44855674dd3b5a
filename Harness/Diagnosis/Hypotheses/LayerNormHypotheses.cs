using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>LayerNorm computed another way: eps 1e-5 or 1e-12, eps outside the root, or Souffle's one-pass statistics.</summary>
public sealed class LayerNormHypotheses : IHypothesisFamily
{
    public static IReadOnlyList<string> Stages { get; } = ["AttentionAddAndNorm", "OutputAddAndNorm"];

    public static IReadOnlyList<string> NormOutputs { get; } = [AttnOutput, Output];

    public IEnumerable<IHypothesis> Members =>
    [
        new SemanticsHypothesis("LayerNorm eps 1e-5", "LayerNorm eps 1e-5 (Souffle's)", Stages, NormOutputs, (s, _) => s with { LayerNormEps = 1e-5 }),
        new SemanticsHypothesis("LayerNorm eps 1e-12", "LayerNorm eps 1e-12 (Hugging Face's)", Stages, NormOutputs, (s, _) => s with { LayerNormEps = 1e-12 }),
        new SemanticsHypothesis("LayerNorm eps outside the root", "LayerNorm dividing by sqrt(var) + eps instead of sqrt(var + eps)", Stages, NormOutputs, (s, _) => s with { EpsPlacement = EpsPlacement.OutsideRoot }),
        new SemanticsHypothesis(
            "LayerNorm one-pass sums, fp16 mean/rstd",
            "LayerNorm from one-pass Σx, Σx² with mean and 1/std rounded to fp16 and a scalar affine (Souffle)",
            Stages, NormOutputs,
            (s, _) => s with { LayerNorm = LayerNormStyle.ScalarAffineFromSums, Fp16RoundingPoints = true }),
    ];
}
