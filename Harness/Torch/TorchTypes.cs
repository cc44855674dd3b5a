using Harness.Model;
using TorchSharp;

namespace Harness.Torch;

/// <summary>Mapping between the harness's element types and torch's, and the type each run computes in.</summary>
public static class TorchTypes
{
    public static torch.ScalarType ToScalarType(this ElementType t) => t switch
    {
        ElementType.Float64 => torch.ScalarType.Float64,
        ElementType.Float32 => torch.ScalarType.Float32,
        ElementType.Float16 => torch.ScalarType.Float16,
        ElementType.BFloat16 => torch.ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    public static ElementType ToElementType(this torch.ScalarType t) => t switch
    {
        torch.ScalarType.Float64 => ElementType.Float64,
        torch.ScalarType.Float32 => ElementType.Float32,
        torch.ScalarType.Float16 => ElementType.Float16,
        torch.ScalarType.BFloat16 => ElementType.BFloat16,
        _ => throw new ArgumentException($"torch element type {t} has no harness element type"),
    };

    /// <summary>
    /// The type a run computes and accumulates in: float64 for a float64 run, float32 otherwise (what cuBLAS and
    /// PyTorch's reductions use for float32, float16 and bfloat16 tensors).
    /// </summary>
    public static torch.ScalarType ComputeType(this ElementType t) =>
        t == ElementType.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
}
