using System.Runtime.InteropServices;
using Harness.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// Emulates a GEMM whose accumulator is fp16 (docs/SEMANTICS.md §4): the reduction dimension is cut into consecutive groups of
/// k = <see cref="AccumulationModel.GroupSize"/>; each group's products are summed in float64 in reduction order (exact
/// for fp16 operands whose products span less than 53 − log2(k) binades, so any order gives the same sum there) and
/// added to an fp16 accumulator that starts at 0 and is rounded once per group.
/// </summary>
/// <remarks>
/// Speed, measured on the 2-core development machine (shared with other work, so best of 4 runs after a warm-up;
/// results bit-identical before and after): 384×3072·3072×768 (FC2) at k = 16 went from 0.58–0.77 s (with stalls of
/// 6–9 s when torch's threads met contention) to 0.07 s, at k = 8 from 1.1 s to 0.10 s, at k = 1 from 64 s to 0.43 s;
/// a bert-base layer (S = 384, Souffle semantics, k = 16, <see cref="BertLayerReference.Forward(LayerInputs, LayerWeights, ReferenceOptions)"/>)
/// from 1.68 s to 0.36 s in float64 and from 1.64 s to 0.35–0.41 s in float16 (medians 2.0–6.8 s to 0.37–0.41 s; CPU
/// time 3.3 s to 0.6 s). Of the 0.36 s, the GEMMs take about 0.25 s; the rest is loading weights and elementwise ops.
/// </remarks>
public static class AccumulationEmulator
{
    /// <summary>
    /// [.., M, K]·[.., K, N] with broadcasting batch dimensions; the result is float64 holding fp16 values, on
    /// <paramref name="a"/>'s device. A wide model is an ordinary float64 matmul.
    /// </summary>
    public static Tensor Matmul(Tensor a, Tensor b, AccumulationModel model)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(model);
        if (a.dim() < 2 || b.dim() < 2)
        {
            throw new ArgumentException($"matmul operands need at least 2 dimensions, got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}]");
        }

        var depth = a.shape[^1];
        if (b.shape[^2] != depth)
        {
            throw new ArgumentException($"matmul reduction dimensions differ: [{string.Join(", ", a.shape)}]·[{string.Join(", ", b.shape)}]");
        }

        if (model.GroupSize < 0)
        {
            throw new ArgumentException($"accumulation group size must be >= 0, got {model.GroupSize}");
        }

        using var scope = NewDisposeScope();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        if (model.IsWide)
        {
            return a64.matmul(b64).MoveToOuterDisposeScope();
        }

        var batchShape = BroadcastBatch(a, b);
        var rows = a.shape[^2];
        var columns = b.shape[^1];
        long[] outputShape = [.. batchShape, rows, columns];
        if (depth == 0 || outputShape.Contains(0))
        {
            // The sum over nothing is 0 (and an empty result has nothing to compute).
            return zeros(outputShape, ScalarType.Float64, a.device).MoveToOuterDisposeScope();
        }

        // A 2-D B is shared by every batch: fold A's batch into its rows rather than copying B per batch.
        var batch = b.dim() == 2 ? 1 : batchShape.Aggregate(1L, (x, y) => x * y);
        var foldedRows = b.dim() == 2 ? batchShape.Aggregate(rows, (x, y) => x * y) : rows;
        if (batch * foldedRows * depth > int.MaxValue || batch * depth * columns > int.MaxValue || batch * foldedRows * columns > int.MaxValue)
        {
            throw new ArgumentException($"matmul operands too large for the fp16 accumulation emulator: [{string.Join(", ", a.shape)}]·[{string.Join(", ", b.shape)}]");
        }

        var hostA = a64.expand([.. batchShape, rows, depth]).cpu().contiguous();
        var hostB = (b.dim() == 2 ? b64 : b64.expand([.. batchShape, depth, columns])).cpu().contiguous();
        var result = empty(outputShape, ScalarType.Float64);
        Multiply(
            MemoryMarshal.Cast<byte, double>(hostA.bytes),
            MemoryMarshal.Cast<byte, double>(hostB.bytes),
            MemoryMarshal.Cast<byte, double>(result.bytes),
            (int)batch,
            (int)foldedRows,
            (int)depth,
            (int)columns,
            (int)Math.Min(model.GroupSize, depth),
            model.Rounding);
        return result.to(a.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="GroupedFp16Gemm.Multiply"/>, each distinct row of A multiplied once (see <see cref="RepeatedRows"/>)
    /// and its product row copied to the rows that repeat it.
    /// </summary>
    private static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int batch, int rows, int depth, int columns, int groupSize, AccumulationRounding rounding)
    {
        if (RepeatedRows.FirstOccurrences(a, batch, rows, depth) is not { } first)
        {
            GroupedFp16Gemm.Multiply(a, b, c, batch, rows, depth, columns, groupSize, rounding);
            return;
        }

        for (var p = 0; p < batch; p++)
        {
            var map = first.AsSpan(p * rows, rows);
            var distinct = new List<int>();
            for (var i = 0; i < rows; i++)
            {
                if (map[i] == i)
                {
                    distinct.Add(i);
                }
            }

            var blockA = a.Slice(p * rows * depth, rows * depth);
            var packedA = GC.AllocateUninitializedArray<double>(distinct.Count * depth);
            for (var d = 0; d < distinct.Count; d++)
            {
                blockA.Slice(distinct[d] * depth, depth).CopyTo(packedA.AsSpan(d * depth, depth));
            }

            var packedC = GC.AllocateUninitializedArray<double>(distinct.Count * columns);
            GroupedFp16Gemm.Multiply(packedA, b.Slice(p * depth * columns, depth * columns), packedC, 1, distinct.Count, depth, columns, groupSize, rounding);

            // Invariant: distinct rows are in ascending order, so a row's position among them is found by binary search.
            var blockC = c.Slice(p * rows * columns, rows * columns);
            for (var i = 0; i < rows; i++)
            {
                var d = distinct.BinarySearch(map[i]);
                packedC.AsSpan(d * columns, columns).CopyTo(blockC.Slice(i * columns, columns));
            }
        }
    }

    /// <summary>torch.matmul's batch dimensions: the two batch shapes broadcast against each other, aligned at the right.</summary>
    private static long[] BroadcastBatch(Tensor a, Tensor b)
    {
        var left = a.shape[..^2];
        var right = b.shape[..^2];
        var batch = new long[Math.Max(left.Length, right.Length)];
        for (var i = 1; i <= batch.Length; i++)
        {
            var x = i <= left.Length ? left[^i] : 1;
            var y = i <= right.Length ? right[^i] : 1;
            if (x != y && x != 1 && y != 1)
            {
                throw new ArgumentException($"matmul batch dimensions do not broadcast: [{string.Join(", ", a.shape)}]·[{string.Join(", ", b.shape)}]");
            }

            batch[^i] = x == 1 ? y : x;
        }

        return batch;
    }
}
