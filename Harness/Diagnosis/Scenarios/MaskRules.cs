using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>A mask that masks nothing tests no masking; one mask shared by every batch row cannot show a batch mix-up.</summary>
internal static class MaskRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        var mask = s.Inputs.AttentionMask;
        if (!flow.HasPadding)
        {
            yield return new BlindSpot(
                BlindSpotCodes.NoPadding,
                new NoPaddingCause(mask is not null),
                [
                    new(DefectKind.MaskIgnored),
                    new(DefectKind.MaskOnQueryRows),
                    new(DefectKind.MaskFromWrongBatchRow),
                    new(DefectKind.MaskedProbabilitiesNotZero),
                    new(DefectKind.MaskAfterSoftmax),
                ],
                LayerDataflow.Downstream(TensorNames.AttnScores));
            yield break;
        }

        if (mask is not null && s.Shape.Batch > 1 && EveryBatchRowAlike(mask, s.Shape.Sequence))
        {
            yield return new BlindSpot(
                BlindSpotCodes.SameMaskInEveryBatchRow,
                new SameMaskCause(s.Shape.Batch),
                [new(DefectKind.OneBatchRowMaskForAll), new(DefectKind.MaskWithoutBatchOffset)],
                LayerDataflow.Downstream(TensorNames.AttnScores));
        }
    }

    private static bool EveryBatchRowAlike(HostTensor mask, int sequence)
    {
        var first = mask.Data.AsSpan(0, sequence);
        for (var offset = sequence; offset < mask.Data.Length; offset += sequence)
        {
            if (!mask.Data.AsSpan(offset, sequence).SequenceEqual(first))
            {
                return false;
            }
        }

        return true;
    }
}
