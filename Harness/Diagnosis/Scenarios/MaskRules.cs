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
                    "attention mask ignored",
                    "mask added to query rows instead of key columns",
                    "mask taken from the wrong batch row",
                    "masked probabilities not exactly 0",
                    "mask added after the softmax instead of before",
                ],
                LayerDataflow.Downstream(TensorNames.AttnScores));
            yield break;
        }

        if (mask is not null && s.Shape.Batch > 1 && EveryBatchRowAlike(mask, s.Shape.Sequence))
        {
            yield return new BlindSpot(
                BlindSpotCodes.SameMaskInEveryBatchRow,
                new SameMaskCause(s.Shape.Batch),
                ["mask of one batch row used for every batch row", "mask indexed without its batch offset"],
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
