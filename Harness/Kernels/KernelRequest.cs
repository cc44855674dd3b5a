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

/// <summary>
/// What a variant wrote: every tensor it declares, read back as float64 host tensors in its dtype (all NaN, as
/// poisoned, when the run faulted).
/// </summary>
public sealed record KernelRun(KernelVariant Variant, IReadOnlyDictionary<string, HostTensor> Outputs, TimeSpan Elapsed)
{
    /// <summary>What reruns on the same inputs observed; null when the variant ran once.</summary>
    public RerunRecord? Reruns { get; init; }

    /// <summary>Why the run produced nothing (a crash, a timeout, an error); null when it completed.</summary>
    public KernelFault? Fault { get; init; }

    /// <summary>A run that faulted: every declared output as the poison the harness left in it.</summary>
    public static KernelRun Faulted(KernelVariant variant, LayerShape shape, KernelFault fault) => new(
        variant,
        variant.Outputs.ToDictionary(
            n => n,
            n => HostTensor.Filled(TensorNames.ShapeOf(n, shape), double.NaN, TensorNames.IsFloat32Accumulator(n) ? ElementType.Float32 : variant.Dtype)),
        TimeSpan.Zero)
    { Fault = fault };
}

/// <summary>A CUDA variant was asked for on a machine without a usable CUDA device.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
