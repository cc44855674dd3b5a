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
                coincidences.Select(c => new HiddenDefect(c.Defect)).ToList(),
                coincidences.SelectMany(c => c.Tensors).Distinct().OrderBy(TensorNames.OrderOf).ToList());
        }

        if (shape != LayerShape.BertBase384)
        {
            yield return new BlindSpot(
                BlindSpotCodes.NotUpstreamShape,
                new NotUpstreamShapeCause(shape),
                [
                    new(DefectKind.UpstreamTiling),
                    new(DefectKind.UpstreamFp16Accumulation),
                    new(DefectKind.UpstreamExpOverflow),
                ],
                TensorNames.Produced);
        }
    }

    private static IEnumerable<(DimensionCoincidence Equality, DefectKind Defect, string[] Tensors)> Coincidences(LayerShape s)
    {
        if (s.Heads == s.HeadSize)
        {
            yield return (DimensionCoincidence.HeadsEqualHeadSize, DefectKind.HeadsSplitAsDH, [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnContext]);
        }

        if (s.Sequence == s.Heads)
        {
            yield return (DimensionCoincidence.SequenceEqualsHeads, DefectKind.QkvWithoutPermute, [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV]);
        }

        if (s.Sequence == s.HeadSize)
        {
            yield return (DimensionCoincidence.SequenceEqualsHeadSize, DefectKind.KNotTransposed, [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnScoresRaw]);
        }

        if (s.Sequence == s.Model)
        {
            yield return (DimensionCoincidence.SequenceEqualsModel, DefectKind.InputOrContextTransposed, [TensorNames.Input, TensorNames.AttnContext, TensorNames.AttnDense, TensorNames.Output]);
        }

        if (s.Model == s.Intermediate)
        {
            yield return (DimensionCoincidence.ModelEqualsIntermediate, DefectKind.Fc1Fc2Swapped, [TensorNames.FfnFc1Linear, TensorNames.FfnFc2Linear]);
        }

        if (s.Sequence == s.Intermediate)
        {
            yield return (DimensionCoincidence.SequenceEqualsIntermediate, DefectKind.Fc1Transposed, [TensorNames.FfnFc1Linear, TensorNames.FfnFc1]);
        }

        if (s.Batch > 1 && s.Batch == s.Sequence)
        {
            yield return (DimensionCoincidence.BatchEqualsSequence, DefectKind.BatchSequenceSwapped, [TensorNames.Input, TensorNames.Output]);
        }

        if (s.Batch > 1 && s.Batch == s.Heads)
        {
            yield return (DimensionCoincidence.BatchEqualsHeads, DefectKind.BatchHeadsSwapped, [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnProbs]);
        }
    }
}
