using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The attention scores scaled by another factor: 1/sqrt(M), 1/sqrt(D), none, or Souffle's fp16 1/sqrt(M).</summary>
public sealed class ScoreScaleHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (ScoreScale Scale, string Name, string Description)[]
        {
            (ScoreScale.InverseSqrtModelWidth, HypothesisNames.ScoreScaleModelWidth, "softmax scale 1/sqrt(M) (model width)"),
            (ScoreScale.InverseSqrtHeadSize, HypothesisNames.ScoreScaleHeadSize, "softmax scale 1/sqrt(D) (head size)"),
            (ScoreScale.None, HypothesisNames.NoScoreScale, "scores not scaled at all"),
            (ScoreScale.Fp16InverseSqrtModelWidth, HypothesisNames.ScoreScaleFp16ModelWidth, "softmax scale half(1)/hsqrt(half(M)) (Souffle's fp16 1/sqrt(M))"),
        }.Select(x => new SemanticsHypothesis(x.Name, x.Description, [StageNames.Scores], [AttnScores], (s, _) => s with { ScoreScale = x.Scale }));
}
