using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>A matrix equal to its own transpose (a constant one in particular) cannot reveal how a kernel indexes it.</summary>
internal static class WeightLayoutRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        foreach (var p in LayerParameter.All.Where(p => p.IsMatrix))
        {
            var w = p.Get(s.Weights);
            var affected = LayerDataflow.Downstream(p.Produces);
            if (s.Facts.WeightsConstant.TryGetValue(p.Suffix, out var value))
            {
                yield return new BlindSpot(
                    BlindSpotCodes.WeightTransposeInvisible(p.Group),
                    $"The {p.Words} are constant ({ValueSourceTensors.Format(value)}): read transposed, with rows or columns "
                    + "permuted or with the wrong leading dimension they give the same numbers, so their layout is untested.",
                    [
                        $"{p.Noun} weight used untransposed",
                        $"{p.Noun} weight rows or columns permuted",
                        $"{p.Noun} weight read with the wrong leading dimension ([in, out] taken for [out, in])",
                    ],
                    affected);
            }
            else if (ValueProbe.IsSymmetric(w))
            {
                yield return new BlindSpot(
                    BlindSpotCodes.WeightTransposeInvisible(p.Group),
                    $"The {p.Words} equal their own transpose, so a kernel that uses them transposed computes the same numbers.",
                    [$"{p.Noun} weight used untransposed"],
                    affected);
            }
        }
    }
}
