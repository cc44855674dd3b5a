using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The softmax computed the other way: Souffle's fp16 exp without max subtraction, or Hugging Face's with it.</summary>
public sealed class SoftmaxHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
    [
        // Souffle's exp is held in half, so the alternative rounds at Souffle's points (exp and probabilities).
        new SemanticsHypothesis(
            HypothesisNames.SoftmaxWithoutMaxFp16Exp,
            "softmax without max subtraction, exp rounded to fp16 (Souffle)",
            [StageNames.Softmax], [AttnSoftmaxRowSum, AttnProbs],
            (s, _) => s with { Softmax = SoftmaxStyle.Fp16ExpWithoutMax, Fp16RoundingPoints = true }),
        new SemanticsHypothesis(
            HypothesisNames.SoftmaxWithMax,
            "softmax with the row maximum subtracted (Hugging Face)",
            [StageNames.Softmax], [AttnSoftmaxRowSum, AttnProbs],
            (s, _) => s with { Softmax = SoftmaxStyle.MaxSubtracted }),
    ];
}
