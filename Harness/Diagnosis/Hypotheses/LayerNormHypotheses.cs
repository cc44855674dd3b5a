using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>LayerNorm computed another way: eps 1e-5 or 1e-12, eps outside the root, or Souffle's one-pass statistics.</summary>
public sealed class LayerNormHypotheses : IHypothesisFamily
{
    public static IReadOnlyList<string> Stages { get; } = [StageNames.AttentionAddAndNorm, StageNames.OutputAddAndNorm];

    public static IReadOnlyList<string> NormOutputs { get; } = [AttnOutput, Output];

    public IEnumerable<IHypothesis> Members =>
    [
        new SemanticsHypothesis(HypothesisNames.LayerNormEps1e5, new LayerNormEpsDescription(1e-5, LayerSemantics.Souffle), Stages, NormOutputs, (s, _) => s with { LayerNormEps = 1e-5 }),
        new SemanticsHypothesis(HypothesisNames.LayerNormEps1e12, new LayerNormEpsDescription(1e-12, LayerSemantics.HuggingFace), Stages, NormOutputs, (s, _) => s with { LayerNormEps = 1e-12 }),
        new SemanticsHypothesis(HypothesisNames.LayerNormEpsOutsideRoot, new EpsPlacementDescription(EpsPlacement.OutsideRoot), Stages, NormOutputs, (s, _) => s with { EpsPlacement = EpsPlacement.OutsideRoot }),
        new SemanticsHypothesis(
            HypothesisNames.LayerNormOnePassFp16,
            new LayerNormStyleDescription(LayerNormStyle.ScalarAffineFromSums),
            Stages, NormOutputs,
            (s, _) => s with { LayerNorm = LayerNormStyle.ScalarAffineFromSums, Fp16RoundingPoints = true }),
    ];
}
