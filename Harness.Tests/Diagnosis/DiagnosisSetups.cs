using Harness.Comparison;
using Harness.Kernels;
using Harness.Scenarios;

namespace Harness.Tests.Diagnosis;

/// <summary>Verification setups for the diagnosis tests: shipped scenarios, and a small variant of constant-debug.</summary>
internal static class DiagnosisSetups
{
    private static readonly Lazy<VariantCatalog> LazyCatalog = new(() => VariantCatalog.Load());

    public static VariantCatalog Catalog => LazyCatalog.Value;

    /// <summary>A shipped scenario judged against <paramref name="semantics"/>.</summary>
    public static VerificationSetup FromScenario(string name, LayerSemantics semantics)
    {
        var instance = ScenarioMaterializer.Materialize(ScenarioCatalog.Resolve(name), MaterializeOptions.None);
        return new VerificationSetup
        {
            ScenarioName = instance.Name,
            Shape = instance.Shape,
            Inputs = instance.Inputs,
            Weights = instance.Weights,
            Semantics = semantics,
            ActivationOverrides = instance.ActivationOverrides,
            Tolerances = instance.Tolerances.ToDictionary(t => t.Key, t => new Tolerance(t.Value.Atol, t.Value.Rtol)),
            AccumulationGroup = instance.AccumulationGroup ?? 0,
        };
    }

    /// <summary>
    /// constant-debug at a small shape: input 0.125 everywhere, query/key/value weights 0.01, every bias 0, the other
    /// weights synthetic (seed 1), LayerNorm betas 0 as the scenario's zeroBiases sets them, judged against <paramref name="semantics"/>.
    /// </summary>
    public static VerificationSetup SmallConstantDebug(LayerSemantics semantics, LayerShape? shape = null)
    {
        var s = shape ?? new LayerShape(1, 32, 2, 16, 64);
        var synthetic = SyntheticWeights.Create(s, 1);
        HostTensor Constant(HostTensor like, double value) => HostTensor.Filled((long[])like.Shape.Clone(), value, ElementType.Float64);
        var weights = synthetic with
        {
            QueryWeight = Constant(synthetic.QueryWeight, 0.01),
            KeyWeight = Constant(synthetic.KeyWeight, 0.01),
            ValueWeight = Constant(synthetic.ValueWeight, 0.01),
        };
        weights = weights with
        {
            QueryBias = Constant(weights.QueryBias, 0),
            KeyBias = Constant(weights.KeyBias, 0),
            ValueBias = Constant(weights.ValueBias, 0),
            AttentionOutputBias = Constant(weights.AttentionOutputBias, 0),
            IntermediateBias = Constant(weights.IntermediateBias, 0),
            OutputBias = Constant(weights.OutputBias, 0),
            AttentionLayerNormBeta = Constant(weights.AttentionLayerNormBeta, 0),
            OutputLayerNormBeta = Constant(weights.OutputLayerNormBeta, 0),
        };
        return new VerificationSetup
        {
            ScenarioName = "constant-debug (small)",
            Shape = s,
            Inputs = new LayerInputs(HostTensor.Filled([s.Batch, s.Sequence, s.Model], 0.125, ElementType.Float64)),
            Weights = weights,
            Semantics = semantics,
        };
    }

    public static LayerVerification Verify(string variant, VerificationSetup setup) => LayerVerifier.Verify(Catalog.Find(variant), setup);
}
