using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The attention scores scaled by another factor: 1/sqrt(M), 1/sqrt(D), none, or Souffle's fp16 1/sqrt(M).</summary>
public sealed class ScoreScaleHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (ScoreScale Scale, string Name)[]
        {
            (ScoreScale.InverseSqrtModelWidth, HypothesisNames.ScoreScaleModelWidth),
            (ScoreScale.InverseSqrtHeadSize, HypothesisNames.ScoreScaleHeadSize),
            (ScoreScale.None, HypothesisNames.NoScoreScale),
            (ScoreScale.Fp16InverseSqrtModelWidth, HypothesisNames.ScoreScaleFp16ModelWidth),
        }.Select(x => new SemanticsHypothesis(x.Name, new ScoreScaleDescription(x.Scale), [StageNames.Scores], [AttnScores], (s, _) => s with { ScoreScale = x.Scale }));
}
