using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Shapes whose dimensions coincide let a transposed or permuted tensor pass a shape check, and shapes other than
/// bert-base at B=1, S=384 say nothing about the upstream kernels, which run nowhere else.
/// </summary>
internal static class ShapeRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        var shape = s.Shape;
        var coincidences = Coincidences(shape).ToList();
        if (coincidences.Count > 0)
        {
            yield return new BlindSpot(
                BlindSpotCodes.ShapeCoincidences,
                new ShapeCoincidencesCause(shape, coincidences.Select(c => c.Equality).ToList()),
                coincidences.Select(c => c.Defect).ToList(),
                coincidences.SelectMany(c => c.Tensors).Distinct().OrderBy(TensorNames.OrderOf).ToList());
        }

        if (shape != LayerShape.BertBase384)
        {
            yield return new BlindSpot(
                BlindSpotCodes.NotUpstreamShape,
                new NotUpstreamShapeCause(shape),
                [
                    "errors in the upstream tiling or shared-memory layout for S=384, M=768, F=3072",
                    "fp16 accumulation error that only grows over bert-base reduction lengths (M=768, F=3072)",
                    "fp16 exp overflow that only bert-base score magnitudes reach",
                ],
                TensorNames.Produced);
        }
    }

    private static IEnumerable<(DimensionCoincidence Equality, string Defect, string[] Tensors)> Coincidences(LayerShape s)
    {
        if (s.Heads == s.HeadSize)
        {
            yield return (DimensionCoincidence.HeadsEqualHeadSize, "heads split as [D, H] instead of [H, D] (column d·H + head)", [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnContext]);
        }

        if (s.Sequence == s.Heads)
        {
            yield return (DimensionCoincidence.SequenceEqualsHeads, "Q, K, V returned as [B, S, H, D] instead of [B, H, S, D] (head split without the permute)", [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV]);
        }

        if (s.Sequence == s.HeadSize)
        {
            yield return (DimensionCoincidence.SequenceEqualsHeadSize, "Q·K taken without transposing K, or Q, K, V returned as [B, H, D, S]", [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnScoresRaw]);
        }

        if (s.Sequence == s.Model)
        {
            yield return (DimensionCoincidence.SequenceEqualsModel, "input or attn.context read transposed ([M, S] for [S, M])", [TensorNames.Input, TensorNames.AttnContext, TensorNames.AttnDense, TensorNames.Output]);
        }

        if (s.Model == s.Intermediate)
        {
            yield return (DimensionCoincidence.ModelEqualsIntermediate, "FC1 and FC2 weights swapped, or used untransposed", [TensorNames.FfnFc1Linear, TensorNames.FfnFc2Linear]);
        }

        if (s.Sequence == s.Intermediate)
        {
            yield return (DimensionCoincidence.SequenceEqualsIntermediate, "ffn.fc1 produced transposed ([F, S] for [S, F])", [TensorNames.FfnFc1Linear, TensorNames.FfnFc1]);
        }

        if (s.Batch > 1 && s.Batch == s.Sequence)
        {
            yield return (DimensionCoincidence.BatchEqualsSequence, "batch and sequence dimensions swapped", [TensorNames.Input, TensorNames.Output]);
        }

        if (s.Batch > 1 && s.Batch == s.Heads)
        {
            yield return (DimensionCoincidence.BatchEqualsHeads, "batch and head dimensions swapped", [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnProbs]);
        }
    }
}
