using Harness.Model;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// One layer parameter: its checkpoint suffix, the scenario group key that sets it, which part of its group it is, and
/// the canonical tensor its stage produces (where a defect in it first shows). Reporting names it.
/// </summary>
public sealed record LayerParameter(string Suffix, string Group, ParameterPart Part, string Produces, Func<LayerWeights, HostTensor> Get)
{
    public bool IsMatrix => Part == ParameterPart.Weights;

    public bool IsLinearBias => Part == ParameterPart.Biases;

    public static IReadOnlyList<LayerParameter> All { get; } =
    [
        new("attention.self.query.weight", "query", ParameterPart.Weights, TensorNames.AttnQ, w => w.QueryWeight),
        new("attention.self.query.bias", "query", ParameterPart.Biases, TensorNames.AttnQ, w => w.QueryBias),
        new("attention.self.key.weight", "key", ParameterPart.Weights, TensorNames.AttnK, w => w.KeyWeight),
        new("attention.self.key.bias", "key", ParameterPart.Biases, TensorNames.AttnK, w => w.KeyBias),
        new("attention.self.value.weight", "value", ParameterPart.Weights, TensorNames.AttnV, w => w.ValueWeight),
        new("attention.self.value.bias", "value", ParameterPart.Biases, TensorNames.AttnV, w => w.ValueBias),
        new("attention.output.dense.weight", "attentionOutput", ParameterPart.Weights, TensorNames.AttnDense, w => w.AttentionOutputWeight),
        new("attention.output.dense.bias", "attentionOutput", ParameterPart.Biases, TensorNames.AttnDense, w => w.AttentionOutputBias),
        new("attention.output.LayerNorm.weight", "attentionLayerNorm", ParameterPart.Gamma, TensorNames.AttnOutput, w => w.AttentionLayerNormGamma),
        new("attention.output.LayerNorm.bias", "attentionLayerNorm", ParameterPart.Beta, TensorNames.AttnOutput, w => w.AttentionLayerNormBeta),
        new("intermediate.dense.weight", "intermediate", ParameterPart.Weights, TensorNames.FfnFc1Linear, w => w.IntermediateWeight),
        new("intermediate.dense.bias", "intermediate", ParameterPart.Biases, TensorNames.FfnFc1Linear, w => w.IntermediateBias),
        new("output.dense.weight", "output", ParameterPart.Weights, TensorNames.FfnFc2Linear, w => w.OutputWeight),
        new("output.dense.bias", "output", ParameterPart.Biases, TensorNames.FfnFc2Linear, w => w.OutputBias),
        new("output.LayerNorm.weight", "outputLayerNorm", ParameterPart.Gamma, TensorNames.Output, w => w.OutputLayerNormGamma),
        new("output.LayerNorm.bias", "outputLayerNorm", ParameterPart.Beta, TensorNames.Output, w => w.OutputLayerNormBeta),
    ];

    public static LayerParameter Of(string suffix) => All.Single(p => p.Suffix == suffix);
}

/// <summary>Which part of a parameter group: a linear's weight matrix or bias, a LayerNorm's gamma or beta.</summary>
public enum ParameterPart
{
    Weights,
    Biases,
    Gamma,
    Beta,
}
