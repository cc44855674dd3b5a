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
        var defects = new List<HiddenDefect>
        {
            new(DefectKind.ScaleOverSqrtModel),
            new(DefectKind.ScaleMissing),
            new(DefectKind.ScaleAppliedTwice),
            new(DefectKind.RowMaxNotSubtracted),
            new(DefectKind.KeysPermuted),
            new(DefectKind.HeadsPairedWrongly),
        };
        return new BlindSpot(
            BlindSpotCodes.UniformSoftmax,
            new UniformSoftmaxCause(source, flow.HasPadding ? null : s.Shape.Sequence),
            defects,
            LayerDataflow.Downstream(TensorNames.AttnProbs));
    }

    private static BlindSpot IdenticalHeads(SignalFlow flow)
    {
        var defects = new List<HiddenDefect> { new(DefectKind.HeadsMergedInAnotherOrder), new(DefectKind.HeadsPermuted) };
        if (flow.IsConstant(TensorNames.AttnContext))
        {
            defects.Add(new(DefectKind.HeadColumnOrderWrong));
            defects.Add(new(DefectKind.ColumnsWithinHeadPermuted));
        }

        return new BlindSpot(
            BlindSpotCodes.IdenticalHeads,
            new IdenticalHeadsCause(flow.IsConstant(TensorNames.AttnContext)),
            defects,
            LayerDataflow.Downstream(TensorNames.AttnContext));
    }
}
