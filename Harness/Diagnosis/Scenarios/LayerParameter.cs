using Harness.Model;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// One layer parameter in the project's words: its checkpoint suffix, the scenario group key that sets it, what it is
/// called in reports, and the canonical tensor its stage produces (where a defect in it first shows).
/// </summary>
public sealed record LayerParameter(string Suffix, string Group, string Noun, string Part, string Produces, Func<LayerWeights, HostTensor> Get)
{
    public bool IsMatrix => Part == "weights";

    public bool IsLinearBias => Part == "biases";

    public static IReadOnlyList<LayerParameter> All { get; } =
    [
        new("attention.self.query.weight", "query", "query", "weights", TensorNames.AttnQ, w => w.QueryWeight),
        new("attention.self.query.bias", "query", "query", "biases", TensorNames.AttnQ, w => w.QueryBias),
        new("attention.self.key.weight", "key", "key", "weights", TensorNames.AttnK, w => w.KeyWeight),
        new("attention.self.key.bias", "key", "key", "biases", TensorNames.AttnK, w => w.KeyBias),
        new("attention.self.value.weight", "value", "value", "weights", TensorNames.AttnV, w => w.ValueWeight),
        new("attention.self.value.bias", "value", "value", "biases", TensorNames.AttnV, w => w.ValueBias),
        new("attention.output.dense.weight", "attentionOutput", "attention dense", "weights", TensorNames.AttnDense, w => w.AttentionOutputWeight),
        new("attention.output.dense.bias", "attentionOutput", "attention dense", "biases", TensorNames.AttnDense, w => w.AttentionOutputBias),
        new("attention.output.LayerNorm.weight", "attentionLayerNorm", "attention LayerNorm", "gamma", TensorNames.AttnOutput, w => w.AttentionLayerNormGamma),
        new("attention.output.LayerNorm.bias", "attentionLayerNorm", "attention LayerNorm", "beta", TensorNames.AttnOutput, w => w.AttentionLayerNormBeta),
        new("intermediate.dense.weight", "intermediate", "FC1", "weights", TensorNames.FfnFc1Linear, w => w.IntermediateWeight),
        new("intermediate.dense.bias", "intermediate", "FC1", "biases", TensorNames.FfnFc1Linear, w => w.IntermediateBias),
        new("output.dense.weight", "output", "FC2", "weights", TensorNames.FfnFc2Linear, w => w.OutputWeight),
        new("output.dense.bias", "output", "FC2", "biases", TensorNames.FfnFc2Linear, w => w.OutputBias),
        new("output.LayerNorm.weight", "outputLayerNorm", "output LayerNorm", "gamma", TensorNames.Output, w => w.OutputLayerNormGamma),
        new("output.LayerNorm.bias", "outputLayerNorm", "output LayerNorm", "beta", TensorNames.Output, w => w.OutputLayerNormBeta),
    ];

    public static LayerParameter Of(string suffix) => All.Single(p => p.Suffix == suffix);
}
