using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Degenerate attention: a softmax that is uniform whatever the scale, and heads that cannot be told apart.</summary>
internal static class AttentionRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        if (flow.ProbsUniform)
        {
            yield return UniformSoftmax(s, flow);
        }

        if (flow.ContextHeadsIdentical)
        {
            yield return IdenticalHeads(flow);
        }
    }

    private static BlindSpot UniformSoftmax(ScenarioInstance s, SignalFlow flow)
    {
        var source = s.ActivationOverrides.ContainsKey(TensorNames.AttnScores) || s.ActivationOverrides.ContainsKey(TensorNames.AttnScoresRaw)
            ? UniformScoresSource.ScoresOverridden
            : flow.InputRowsIdentical ? UniformScoresSource.IdenticalInputRows : UniformScoresSource.KeysOverridden;
        var defects = new List<string>
        {
            "softmax scale 1/sqrt(M) instead of 1/sqrt(D)",
            "softmax scale missing (scores not scaled)",
            "softmax scale applied twice",
            "row maximum not subtracted before exp (shows only if exp overflows in fp16)",
            "keys permuted within a score row",
            "query and key heads paired wrongly",
        };
        return new BlindSpot(
            BlindSpotCodes.UniformSoftmax,
            new UniformSoftmaxCause(source, flow.HasPadding ? null : s.Shape.Sequence),
            defects,
            LayerDataflow.Downstream(TensorNames.AttnProbs));
    }

    private static BlindSpot IdenticalHeads(SignalFlow flow)
    {
        var defects = new List<string> { "heads merged in another order", "heads permuted (a head read from another head's block)" };
        if (flow.IsConstant(TensorNames.AttnContext))
        {
            defects.Add("head split or merge with the wrong column order (d·H + head instead of head·D + d)");
            defects.Add("columns within a head permuted");
        }

        return new BlindSpot(
            BlindSpotCodes.IdenticalHeads,
            new IdenticalHeadsCause(flow.IsConstant(TensorNames.AttnContext)),
            defects,
            LayerDataflow.Downstream(TensorNames.AttnContext));
    }
}
