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
        var cause = s.ActivationOverrides.ContainsKey(TensorNames.AttnScores) || s.ActivationOverrides.ContainsKey(TensorNames.AttnScoresRaw)
            ? "The scores are overridden to a constant"
            : flow.InputRowsIdentical
                ? "Every token row of the input is identical, so every key row of attn.k is the same"
                : "attn.k is overridden to a constant, so every key row is the same";
        var keys = flow.HasPadding ? "1 over the number of valid keys" : $"1/S = 1/{s.Shape.Sequence}";
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
            $"{cause}: each score row is constant over the keys, so the softmax is exactly uniform ({keys}) whatever the scale. "
            + "attn.probs and everything after it cannot show a scale or max-subtraction error; only attn.scores_raw, attn.scores "
            + "(and a variant's row sums, where they hold unnormalised exponentials) can show the scale.",
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
            (flow.IsConstant(TensorNames.AttnContext)
                ? "attn.context is constant"
                : "Every head computes the same values (the value projection repeats every D columns and every head attends alike)")
            + ", so every head's block of attn.context is the same and the order in which heads are split or merged cannot show.",
            defects,
            LayerDataflow.Downstream(TensorNames.AttnContext));
    }
}
