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
            new SoftmaxDescription(SoftmaxStyle.Fp16ExpWithoutMax),
            [StageNames.Softmax], [AttnSoftmaxRowSum, AttnProbs],
            (s, _) => s with { Softmax = SoftmaxStyle.Fp16ExpWithoutMax, Fp16RoundingPoints = true }),
        new SemanticsHypothesis(
            HypothesisNames.SoftmaxWithMax,
            new SoftmaxDescription(SoftmaxStyle.MaxSubtracted),
            [StageNames.Softmax], [AttnSoftmaxRowSum, AttnProbs],
            (s, _) => s with { Softmax = SoftmaxStyle.MaxSubtracted }),
    ];
}
