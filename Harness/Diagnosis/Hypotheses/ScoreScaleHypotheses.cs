using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The attention scores scaled by another factor: 1/sqrt(M), 1/sqrt(D), none, or Souffle's fp16 1/sqrt(M).</summary>
public sealed class ScoreScaleHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (ScoreScale Scale, string Name, string Description)[]
        {
            (ScoreScale.InverseSqrtModelWidth, "score scale 1/sqrt(M)", "softmax scale 1/sqrt(M) (model width)"),
            (ScoreScale.InverseSqrtHeadSize, "score scale 1/sqrt(D)", "softmax scale 1/sqrt(D) (head size)"),
            (ScoreScale.None, "no score scale", "scores not scaled at all"),
            (ScoreScale.Fp16InverseSqrtModelWidth, "score scale fp16 1/sqrt(M)", "softmax scale half(1)/hsqrt(half(M)) (Souffle's fp16 1/sqrt(M))"),
        }.Select(x => new SemanticsHypothesis(x.Name, x.Description, ["Scores"], [AttnScores], (s, _) => s with { ScoreScale = x.Scale }));
}
