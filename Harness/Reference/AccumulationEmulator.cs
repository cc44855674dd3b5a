using Harness.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// Emulates a GEMM whose accumulator is fp16 (SPEC §4): the reduction dimension is cut into consecutive groups of
/// k = <see cref="AccumulationModel.GroupSize"/>; each group's products are summed in float64 (exact for fp16 operands
/// up to a few dozen terms) and added to an fp16 accumulator that starts at 0 and is rounded once per group.
/// </summary>
public static class AccumulationEmulator
{
    /// <summary>
    /// [.., M, K]·[.., K, N] with broadcasting batch dimensions; the result is float64 holding fp16 values. A wide
    /// model is an ordinary float64 matmul. Vectorised over M and N; only the K/k groups are looped over.
    /// </summary>
    public static Tensor Matmul(Tensor a, Tensor b, AccumulationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (a.dim() < 2 || b.dim() < 2)
        {
            throw new ArgumentException($"matmul operands need at least 2 dimensions, got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}]");
        }

        var k = a.shape[^1];
        if (b.shape[^2] != k)
        {
            throw new ArgumentException($"matmul reduction dimensions differ: [{string.Join(", ", a.shape)}]·[{string.Join(", ", b.shape)}]");
        }

        if (model.GroupSize < 0)
        {
            throw new ArgumentException($"accumulation group size must be >= 0, got {model.GroupSize}");
        }

        using var a64 = a.to_type(ScalarType.Float64);
        using var b64 = b.to_type(ScalarType.Float64);
        if (model.IsWide)
        {
            return a64.matmul(b64);
        }

        Tensor? acc = null;
        for (long start = 0; start < k; start += model.GroupSize)
        {
            var length = Math.Min(model.GroupSize, k - start);
            using var groupSum = a64.narrow(-1, start, length).matmul(b64.narrow(-2, start, length));
            using var widened = acc is null ? groupSum.clone() : acc + groupSum;
            var next = Fp16Rounding.Round(widened, model.Rounding);
            acc?.Dispose();
            acc = next;
        }

        // Invariant: K > 0 here unless an operand is empty, in which case the sum over nothing is 0.
        return acc ?? a64.matmul(b64);
    }
}
