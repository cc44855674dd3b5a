using Harness.Model;
using Harness.Scenarios;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Activations the reference replaces after computing them: the stages that produced them can no longer influence
/// anything later, and the tensors after them see constants.
/// </summary>
internal static class ActivationOverrideRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        var overridden = s.Facts.OverriddenActivations;
        if (overridden.Count == 0)
        {
            yield break;
        }

        var replaced = overridden.SelectMany(t => t == AttnQkv ? new[] { AttnQ, AttnK, AttnV, AttnQkv } : [t]).ToHashSet(StringComparer.Ordinal);
        var withoutOverrides = SignalFlow.Trace(s, withOverrides: false);
        var newlyDegenerate = flow.Degenerate.Where(t => !replaced.Contains(t) && !withoutOverrides.HasIdenticalRows(t)).ToList();
        var silenced = LayerParameter.All.Where(p => !LayerDataflow.ReachesOutput(p.Produces, replaced)).ToList();
        var stages = overridden.Select(StageOf).Distinct().ToList();

        var defects = stages.Select(stage => new HiddenDefect(DefectKind.AnyErrorInStage, Stage: stage)).ToList();
        defects.AddRange(silenced.Where(p => p.IsMatrix).Select(p => new HiddenDefect(DefectKind.WeightUntransposed, p)));
        defects.AddRange(silenced.Where(p => p.IsLinearBias).Select(p => new HiddenDefect(DefectKind.BiasIgnored, p)));
        if (overridden.Any(t => t is AttnQ or AttnK or AttnV or AttnQkv))
        {
            defects.Add(new HiddenDefect(DefectKind.QkvGemmFp16Accumulation));
        }

        yield return new BlindSpot(
            BlindSpotCodes.ActivationOverrides,
            new ActivationOverridesCause(ActivationOverride.Of(s, overridden), stages, silenced, newlyDegenerate),
            defects,
            DataflowOrder.Where(t => replaced.Contains(t) || newlyDegenerate.Contains(t)).ToList());
    }

    private static OverriddenStage StageOf(string tensor) => tensor switch
    {
        AttnQ or AttnK or AttnV or AttnQkv => OverriddenStage.QkvProjection,
        AttnScoresRaw => OverriddenStage.QkProduct,
        AttnScores => OverriddenStage.ScoreScalingAndMask,
        AttnSoftmaxRowSum or AttnProbs => OverriddenStage.Softmax,
        AttnContext => OverriddenStage.PvProductAndHeadMerge,
        AttnDense => OverriddenStage.AttentionDense,
        AttnLnSum or AttnLnSumSq or AttnOutput => OverriddenStage.AttentionResidualAndLayerNorm,
        FfnFc1Linear => OverriddenStage.Fc1,
        FfnFc1 => OverriddenStage.FfnActivation,
        FfnFc2Linear => OverriddenStage.Fc2,
        _ => OverriddenStage.FfnResidualAndLayerNorm,
    };
}
