using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Harness.Model;

namespace Harness.Reference;

/// <summary>
/// The arithmetic of <see cref="AccumulationEmulator"/> on plain float64 arrays: C = A·B per batch, the reduction cut
/// into consecutive groups of k, each group summed in float64 in reduction order (products, then additions, no fused
/// multiply-add), the group sum added in float64 to an fp16 accumulator that is then rounded once.
/// </summary>
/// <remarks>
/// Why hand-written rather than torch ops: the fp16 accumulator needs one rounding per group and element, and as torch
/// ops that is a dozen passes over [M, N] per group (25 s for a bert-base layer at k = 16 before this kernel); here the
/// rounding happens in registers right after each group's products, so the cost is that of a plain vectorised GEMM.
/// Layout: A is packed into blocks of <see cref="TileRows"/> rows interleaved along K, B into panels of two vectors'
/// width of columns (8 with Vector256) interleaved along K, both zero-padded, so the inner loop reads two contiguous
/// streams. (A Vector512 build of the tile, 16 columns, gave the same bits and no gain on the seed case: 14.0-14.7 s
/// with it, 13.2-14.3 s without, 2026-11-26, the 2-core AVX-512 machine.) A work item is one batch and a run of column panels that fits in a core's cache; each row block of A passes
/// over all of them.
/// </remarks>
internal static class GroupedFp16Gemm
{
    private const int TileRows = 4;
    private const int Columns256 = 2 * 4;

    // A work item takes as many B panels as fit in about this much cache (a core's L2 holds them with room to spare),
    // so each row block of A, once loaded, serves all of them rather than streaming A once per panel.
    private const long PanelBytesPerItem = 256 * 1024;

    // Below this many multiply-adds the thread pool costs more than it saves.
    private const long ParallelThreshold = 1L << 20;

    /// <summary>
    /// c[p, m, n] = Σ_k a[p, m, k]·b[p, k, n] (row-major, <paramref name="batch"/> independent products) with an fp16
    /// accumulator rounded once per group of <paramref name="groupSize"/> products.
    /// </summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int batch, int rows, int depth, int columns, int groupSize, AccumulationRounding rounding)
    {
        // Invariant: the caller has checked the sizes; these guard the pointer arithmetic below against a broken caller.
        if (a.Length != (long)batch * rows * depth || b.Length != (long)batch * depth * columns || c.Length != (long)batch * rows * columns || groupSize < 1 || depth < 1)
        {
            throw new ArgumentException($"grouped GEMM sizes inconsistent: batch {batch}, [{rows}, {depth}]·[{depth}, {columns}], group {groupSize}, spans {a.Length}, {b.Length}, {c.Length}");
        }

        const int tileColumns = Columns256;
        var rowBlocks = (rows + TileRows - 1) / TileRows;
        var panels = (columns + tileColumns - 1) / tileColumns;
        var packedA = new double[(long)batch * rowBlocks * depth * TileRows];
        var packedB = new double[(long)batch * panels * depth * tileColumns];
        for (var p = 0; p < batch; p++)
        {
            PackRows(a.Slice(p * rows * depth, rows * depth), packedA.AsSpan(p * rowBlocks * depth * TileRows, rowBlocks * depth * TileRows), rows, depth);
            PackColumns(b.Slice(p * depth * columns, depth * columns), packedB.AsSpan(p * panels * depth * tileColumns, panels * depth * tileColumns), depth, columns, tileColumns);
        }

        var result = new double[c.Length];
        var shape = new Shape(rows, depth, columns, rowBlocks, panels, groupSize, rounding);
        var panelsPerItem = (int)Math.Clamp(PanelBytesPerItem / (depth * tileColumns * sizeof(double)), 1, panels);
        var itemsPerBatch = (panels + panelsPerItem - 1) / panelsPerItem;
        void Item(int item)
        {
            var first = item % itemsPerBatch * panelsPerItem;
            MultiplyPanels(packedA, packedB, result, shape, item / itemsPerBatch, first, Math.Min(panelsPerItem, panels - first));
        }

        var items = batch * itemsPerBatch;
        if ((long)batch * rows * depth * columns < ParallelThreshold)
        {
            for (var item = 0; item < items; item++)
            {
                Item(item);
            }
        }
        else
        {
            Parallel.For(0, items, Item);
        }

        result.CopyTo(c);
    }

    private static void PackRows(ReadOnlySpan<double> a, Span<double> packed, int rows, int depth)
    {
        for (var i = 0; i < rows; i++)
        {
            var block = packed.Slice(i / TileRows * depth * TileRows);
            var row = a.Slice(i * depth, depth);
            for (var k = 0; k < depth; k++)
            {
                block[(k * TileRows) + (i % TileRows)] = row[k];
            }
        }
    }

    private static void PackColumns(ReadOnlySpan<double> b, Span<double> packed, int depth, int columns, int tileColumns)
    {
        for (var k = 0; k < depth; k++)
        {
            var row = b.Slice(k * columns, columns);
            for (var j = 0; j < columns; j++)
            {
                packed[(j / tileColumns * depth * tileColumns) + (k * tileColumns) + (j % tileColumns)] = row[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanels(double[] packedA, double[] packedB, double[] c, Shape s, int p, int firstPanel, int panelCount)
    {
        Span<Vector256<double>> acc = stackalloc Vector256<double>[2 * TileRows];
        Span<double> tile = stackalloc double[Columns256];
        for (var block = 0; block < s.RowBlocks; block++)
        {
            var blockA = packedA.AsSpan((((p * s.RowBlocks) + block) * s.Depth * TileRows), s.Depth * TileRows);
            for (var panel = firstPanel; panel < firstPanel + panelCount; panel++)
            {
                MultiplyTile(blockA, packedB.AsSpan((((p * s.Panels) + panel) * s.Depth * Columns256), s.Depth * Columns256), acc, tile, c, s, p, block, panel);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTile(ReadOnlySpan<double> blockA, ReadOnlySpan<double> panelB, Span<Vector256<double>> acc, Span<double> tile, double[] c, Shape s, int p, int block, int panel)
    {
        // −0 is the identity of float64 addition (+0 is not: +0 + −0 = +0), so the first group sum passes unchanged.
        acc.Fill(Vector256.Create(-0.0));
        for (var start = 0; start < s.Depth; start += s.GroupSize)
        {
            AccumulateGroup(blockA, panelB, acc, start, Math.Min(s.GroupSize, s.Depth - start), s.Rounding);
        }

        var firstColumn = panel * Columns256;
        var validColumns = Math.Min(Columns256, s.Columns - firstColumn);
        var firstRow = block * TileRows;
        for (var r = 0; r < TileRows && firstRow + r < s.Rows; r++)
        {
            acc[2 * r].CopyTo(tile);
            acc[(2 * r) + 1].CopyTo(tile.Slice(4));
            tile.Slice(0, validColumns).CopyTo(c.AsSpan((((p * s.Rows) + firstRow + r) * s.Columns) + firstColumn, validColumns));
        }
    }

    /// <summary>One group for one 4×8 tile: exact-order float64 sums of the products, then acc = fp16(acc + sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateGroup(ReadOnlySpan<double> blockA, ReadOnlySpan<double> panelB, Span<Vector256<double>> acc, int start, int length, AccumulationRounding rounding)
    {
        var s00 = Vector256<double>.Zero;
        var s01 = Vector256<double>.Zero;
        var s10 = Vector256<double>.Zero;
        var s11 = Vector256<double>.Zero;
        var s20 = Vector256<double>.Zero;
        var s21 = Vector256<double>.Zero;
        var s30 = Vector256<double>.Zero;
        var s31 = Vector256<double>.Zero;

        // Invariant: the slices below hold exactly length steps of TileRows and Columns256 values, so the unchecked
        // reads in the loop stay inside them (the slicing itself is bounds-checked).
        ref var av = ref MemoryMarshal.GetReference(blockA.Slice(start * TileRows, length * TileRows));
        ref var bv = ref MemoryMarshal.GetReference(panelB.Slice(start * Columns256, length * Columns256));
        for (var k = 0; k < length; k++)
        {
            var b0 = Vector256.LoadUnsafe(ref bv, (nuint)(k * Columns256));
            var b1 = Vector256.LoadUnsafe(ref bv, (nuint)((k * Columns256) + 4));
            var a0 = Vector256.Create(Unsafe.Add(ref av, k * TileRows));
            var a1 = Vector256.Create(Unsafe.Add(ref av, (k * TileRows) + 1));
            var a2 = Vector256.Create(Unsafe.Add(ref av, (k * TileRows) + 2));
            var a3 = Vector256.Create(Unsafe.Add(ref av, (k * TileRows) + 3));
            s00 += a0 * b0;
            s01 += a0 * b1;
            s10 += a1 * b0;
            s11 += a1 * b1;
            s20 += a2 * b0;
            s21 += a2 * b1;
            s30 += a3 * b0;
            s31 += a3 * b1;
        }

        acc[0] = Fp16RoundingKernel.Round(acc[0] + s00, rounding);
        acc[1] = Fp16RoundingKernel.Round(acc[1] + s01, rounding);
        acc[2] = Fp16RoundingKernel.Round(acc[2] + s10, rounding);
        acc[3] = Fp16RoundingKernel.Round(acc[3] + s11, rounding);
        acc[4] = Fp16RoundingKernel.Round(acc[4] + s20, rounding);
        acc[5] = Fp16RoundingKernel.Round(acc[5] + s21, rounding);
        acc[6] = Fp16RoundingKernel.Round(acc[6] + s30, rounding);
        acc[7] = Fp16RoundingKernel.Round(acc[7] + s31, rounding);
    }

    private sealed record Shape(int Rows, int Depth, int Columns, int RowBlocks, int Panels, int GroupSize, AccumulationRounding Rounding);
}
