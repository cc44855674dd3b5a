using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Biases that are zero, constant, or unused by the semantics cannot reveal how a kernel adds them.</summary>
internal static class BiasRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        var biases = LayerParameter.All.Where(p => p.IsLinearBias).ToList();
        if (!s.Semantics.UseBiases)
        {
            yield return new BlindSpot(
                BlindSpotCodes.BiasesUnusedBySemantics,
                new BiasesUnusedCause(s.Semantics.Name),
                biases.SelectMany(IgnoredDefects).Distinct().ToList(),
                LayerDataflow.Downstream(TensorNames(biases)));
            yield break;
        }

        var zero = biases.Where(p => s.Facts.WeightsConstant.TryGetValue(p.Suffix, out var c) && c == 0).ToList();
        if (zero.Count > 0)
        {
            var defects = zero.SelectMany(IgnoredDefects).Concat(zero.SelectMany(MisplacedDefects)).Distinct().ToList();
            if (zero.Count(p => p.Group is "query" or "key" or "value") == 3)
            {
                defects.Add(new(DefectKind.QkvBiasesSwapped));
            }

            yield return new BlindSpot(
                BlindSpotCodes.ZeroBiases,
                new ZeroBiasesCause(zero),
                defects,
                LayerDataflow.Downstream(TensorNames(zero)));
        }

        var constant = biases.Where(p => s.Facts.WeightsConstant.TryGetValue(p.Suffix, out var c) && c != 0).ToList();
        if (constant.Count > 0)
        {
            yield return new BlindSpot(
                BlindSpotCodes.ConstantBiases,
                new ConstantBiasesCause(constant),
                constant.Select(p => new HiddenDefect(DefectKind.BiasWrongDimension, p)).ToList(),
                LayerDataflow.Downstream(TensorNames(constant)));
        }
    }

    private static string[] TensorNames(IEnumerable<LayerParameter> parameters) => parameters.Select(p => p.Produces).Distinct().ToArray();

    private static IEnumerable<HiddenDefect> IgnoredDefects(LayerParameter p) =>
        p.Group is "query" or "key" or "value" ? [new(DefectKind.QkvBiasIgnored), new(DefectKind.BiasIgnored, p)] : [new(DefectKind.BiasIgnored, p)];

    private static IEnumerable<HiddenDefect> MisplacedDefects(LayerParameter p) => p.Group switch
    {
        "intermediate" => [new(DefectKind.Fc1BiasAfterActivation)],
        "attentionOutput" => [new(DefectKind.AttentionDenseBiasAfterResidual)],
        "output" => [new(DefectKind.Fc2BiasAfterResidual)],
        _ => [new(DefectKind.BiasAddedToAnotherProjection, p)],
    };
}
