using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Harness.Reference;

/// <summary>
/// Rows of a row-major float64 matrix (per batch) that repeat an earlier row bit for bit. Each element of an emulated
/// product is its own sum over its row of A, so a repeated row of A gives a repeated row of the product: the
/// <see cref="AccumulationEmulator"/> multiplies each distinct row once. A layer fed a constant input (the seed case)
/// repeats every token row through its projections, scores, context and feed-forward.
/// </summary>
public static class RepeatedRows
{
    /// <summary>
    /// For each row (batch p's row i at p·rows + i), the index within its batch of the first row with the same bits;
    /// null when no row repeats one. Rows are compared by their bits (+0 and −0 differ, a NaN equals only the same NaN).
    /// </summary>
    public static int[]? FirstOccurrences(ReadOnlySpan<double> matrix, int batch, int rows, int depth)
    {
        if (matrix.Length != (long)batch * rows * depth)
        {
            throw new ArgumentException($"matrix of {matrix.Length} values is not {batch} batches of [{rows}, {depth}]");
        }

        var first = new int[batch * rows];
        var repeats = false;
        var seen = new Dictionary<ulong, int>();
        for (var p = 0; p < batch; p++)
        {
            seen.Clear();
            var block = matrix.Slice(p * rows * depth, rows * depth);
            for (var i = 0; i < rows; i++)
            {
                var row = MemoryMarshal.AsBytes(block.Slice(i * depth, depth));
                var hash = Hash(row);

                // Invariant: a hash names the first row it was seen with; a different row with the same hash (a
                // collision) is kept as distinct, which only multiplies it again.
                if (seen.TryGetValue(hash, out var earlier) && row.SequenceEqual(MemoryMarshal.AsBytes(block.Slice(earlier * depth, depth))))
                {
                    first[(p * rows) + i] = earlier;
                    repeats = true;
                }
                else
                {
                    seen.TryAdd(hash, i);
                    first[(p * rows) + i] = i;
                }
            }
        }

        return repeats ? first : null;
    }

    // Optimised at once: called per row from a sweep, it stayed unoptimised code (tier 0) for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Hash(ReadOnlySpan<byte> row)
    {
        // FNV-1a over 8-byte words: cheap next to the product, and any hash will do (equality is checked).
        var hash = 14695981039346656037UL;
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(row))
        {
            hash = (hash ^ word) * 1099511628211UL;
        }

        return hash;
    }
}
