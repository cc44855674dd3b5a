using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>LayerNorm affines that are the identity, or constant over the channels, cannot reveal how a kernel applies them.</summary>
internal static class LayerNormRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        foreach (var group in new[] { "attentionLayerNorm", "outputLayerNorm" })
        {
            var gamma = LayerParameter.All.Single(p => p.Group == group && p.Part == ParameterPart.Gamma);
            var beta = LayerParameter.All.Single(p => p.Group == group && p.Part == ParameterPart.Beta);
            var found = s.Semantics.LayerNorm switch
            {
                LayerNormStyle.PerChannelAffine => PerChannel(s, gamma, beta),
                LayerNormStyle.ScalarAffineFromSums => Scalar(s, gamma),
                _ => (new LayerNormWithoutAffineCause(s.Semantics.Name),
                    new List<HiddenDefect> { new(DefectKind.LayerNormGammaIgnored, gamma), new(DefectKind.LayerNormBetaIgnored, gamma) }),
            };
            if (found is ({ } cause, { Count: > 0 } defects))
            {
                yield return new BlindSpot(BlindSpotCodes.LayerNormAffineInvisible(group), cause, defects, LayerDataflow.Downstream(gamma.Produces));
            }
        }
    }

    private static (BlindSpotCause? Cause, List<HiddenDefect> Defects) PerChannel(ScenarioInstance s, LayerParameter gamma, LayerParameter beta)
    {
        var facts = s.Facts.WeightsConstant;
        var defects = new List<HiddenDefect>();
        var gammaConstant = facts.TryGetValue(gamma.Suffix, out var g);
        var betaConstant = facts.TryGetValue(beta.Suffix, out var b);
        if (gammaConstant && betaConstant)
        {
            defects.Add(new(DefectKind.LayerNormScalarAffine, gamma));
            defects.Add(new(DefectKind.LayerNormAffineWrongDimension, gamma));
            if (g == b)
            {
                defects.Add(new(DefectKind.LayerNormGammaBetaSwapped, gamma));
            }
        }

        if (gammaConstant && g == 1)
        {
            defects.Add(new(DefectKind.LayerNormGammaIgnored, gamma));
        }

        if (betaConstant && b == 0)
        {
            defects.Add(new(DefectKind.LayerNormBetaIgnored, gamma));
        }

        return defects.Count == 0
            ? (null, defects)
            : (new ConstantLayerNormAffineCause(gamma, gammaConstant ? g : null, betaConstant ? b : null), defects);
    }

    private static (BlindSpotCause? Cause, List<HiddenDefect> Defects) Scalar(ScenarioInstance s, LayerParameter gamma)
    {
        var w = s.Weights;
        var defects = new List<HiddenDefect>();
        if (w.LayerNormScalarGamma == 1)
        {
            defects.Add(new(DefectKind.LayerNormScalarGammaIgnored, gamma));
        }

        if (w.LayerNormScalarBeta == 0)
        {
            defects.Add(new(DefectKind.LayerNormScalarBetaIgnored, gamma));
        }

        return defects.Count == 0
            ? (null, defects)
            : (new ScalarLayerNormAffineCause(s.Semantics.Name, w.LayerNormScalarGamma, w.LayerNormScalarBeta), defects);
    }
}
