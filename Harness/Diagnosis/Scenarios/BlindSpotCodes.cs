namespace Harness.Diagnosis.Scenarios;

/// <summary>The codes <see cref="BlindSpotAnalyzer"/> reports; per-parameter codes carry the scenario's group key after a colon.</summary>
public static class BlindSpotCodes
{
    /// <summary>Every token row of the input is identical within its sequence.</summary>
    public const string IdenticalTokenRows = "IdenticalTokenRows";

    /// <summary>Every score row is constant over the valid keys, so the softmax is uniform whatever the scale.</summary>
    public const string UniformSoftmax = "UniformSoftmax";

    /// <summary>Every head's block of attn.context is the same, so head order cannot show.</summary>
    public const string IdenticalHeads = "IdenticalHeads";

    /// <summary>Linear biases that are zero.</summary>
    public const string ZeroBiases = "ZeroBiases";

    /// <summary>Linear biases that are constant but not zero.</summary>
    public const string ConstantBiases = "ConstantBiases";

    /// <summary>The semantics treats every bias as zero.</summary>
    public const string BiasesUnusedBySemantics = "BiasesUnusedBySemantics";

    /// <summary>Activations the reference replaces by constants.</summary>
    public const string ActivationOverrides = "ActivationOverrides";

    /// <summary>No key position is masked.</summary>
    public const string NoPadding = "NoPadding";

    /// <summary>Every batch row has the same mask.</summary>
    public const string SameMaskInEveryBatchRow = "SameMaskInEveryBatchRow";

    /// <summary>Dimensions that coincide, so some transposed or permuted tensors still have the expected shape.</summary>
    public const string ShapeCoincidences = "ShapeCoincidences";

    /// <summary>A shape the upstream Souffle kernels never run.</summary>
    public const string NotUpstreamShape = "NotUpstreamShape";

    private const string WeightTransposePrefix = "WeightTransposeInvisible:";
    private const string LayerNormAffinePrefix = "LayerNormAffineInvisible:";

    /// <summary>A transpose of one matrix cannot show; <paramref name="group"/> is the scenario key ("query", "attentionOutput", ...).</summary>
    public static string WeightTransposeInvisible(string group) => WeightTransposePrefix + group;

    /// <summary>Some LayerNorm affine defect cannot show; <paramref name="group"/> is "attentionLayerNorm" or "outputLayerNorm".</summary>
    public static string LayerNormAffineInvisible(string group) => LayerNormAffinePrefix + group;

    public static bool IsWeightTransposeInvisible(string code) => code.StartsWith(WeightTransposePrefix, StringComparison.Ordinal);
}
