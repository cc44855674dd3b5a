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
                    new ConstantWeightCause(p, value),
                    [
                        new(DefectKind.WeightUntransposed, p),
                        new(DefectKind.WeightRowsOrColumnsPermuted, p),
                        new(DefectKind.WeightWrongLeadingDimension, p),
                    ],
                    affected);
            }
            else if (ValueProbe.IsSymmetric(w))
            {
                yield return new BlindSpot(
                    BlindSpotCodes.WeightTransposeInvisible(p.Group),
                    new SymmetricWeightCause(p),
                    [new(DefectKind.WeightUntransposed, p)],
                    affected);
            }
        }
    }
}
