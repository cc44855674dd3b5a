using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// An alternative way to compute a stage: the reference stage run with <see cref="Semantics"/> and <see cref="Weights"/>,
/// on upstream tensors passed through <see cref="Upstream"/>, its products passed through <see cref="Output"/>.
/// </summary>
public sealed record StageAlternative(LayerSemantics Semantics, LayerWeights Weights)
{
    /// <summary>(tensor name, kernel upstream tensor) → the tensor the alternative feeds the stage; null = unchanged.</summary>
    public Func<string, HostTensor, HostTensor>? Upstream { get; init; }

    /// <summary>(tensor name, recomputed product) → the product as the alternative would store it; null = unchanged.</summary>
    public Func<string, HostTensor, HostTensor>? Output { get; init; }
}
