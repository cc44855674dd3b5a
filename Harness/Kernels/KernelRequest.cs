using Harness.Model;

namespace Harness.Kernels;

/// <summary>
/// One invocation of a variant: the layer, its inputs and weights (full precision, Hugging Face layout; the runner
/// rounds them to the variant's dtype and lays them out as the variant declares), and the variant parameters.
/// </summary>
public sealed record KernelRequest(
    LayerShape Shape,
    LayerInputs Inputs,
    LayerWeights Weights,
    string Semantics,
    int AccumulationGroup = 0,
    AccumulationRounding AccumulationRounding = AccumulationRounding.NearestEven)
{
    /// <summary>The LayerNorm epsilon of <see cref="Semantics"/> (Hugging Face 1e-12, Souffle 1e-5).</summary>
    public double LayerNormEps => LayerSemantics.Preset(Semantics).LayerNormEps;
}

/// <summary>What a variant wrote: every tensor it declares, read back as float64 host tensors in its dtype.</summary>
public sealed record KernelRun(KernelVariant Variant, IReadOnlyDictionary<string, HostTensor> Outputs, TimeSpan Elapsed);

/// <summary>A CUDA variant was asked for on a machine without a usable CUDA device.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
