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

        var defects = stages.Select(stage => $"any error in {stage}").ToList();
        defects.AddRange(silenced.Where(p => p.IsMatrix).Select(p => $"{p.Noun} weight used untransposed"));
        defects.AddRange(silenced.Where(p => p.IsLinearBias).Select(p => $"{p.Noun} bias ignored"));
        if (overridden.Any(t => t is AttnQ or AttnK or AttnV or AttnQkv))
        {
            defects.Add("fp16 accumulation error in the QKV GEMM");
        }

        yield return new BlindSpot(
            BlindSpotCodes.ActivationOverrides,
            new ActivationOverridesCause(ActivationOverride.Of(s, overridden), stages, silenced, newlyDegenerate),
            defects,
            DataflowOrder.Where(t => replaced.Contains(t) || newlyDegenerate.Contains(t)).ToList());
    }

    private static string StageOf(string tensor) => tensor switch
    {
        AttnQ or AttnK or AttnV or AttnQkv => "the QKV projection (GEMM, QKV bias, head split)",
        AttnScoresRaw => "the Q·Kᵀ product",
        AttnScores => "the score scaling and mask add",
        AttnSoftmaxRowSum or AttnProbs => "the softmax",
        AttnContext => "the P·V product and head merge",
        AttnDense => "the attention dense GEMM and bias",
        AttnLnSum or AttnLnSumSq or AttnOutput => "the attention residual add and LayerNorm",
        FfnFc1Linear => "the FC1 GEMM and bias",
        FfnFc1 => "the FFN activation",
        FfnFc2Linear => "the FC2 GEMM and bias",
        _ => "the FFN residual add and LayerNorm",
    };
}
