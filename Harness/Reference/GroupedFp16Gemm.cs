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
/// with it, 13.2-14.3 s without, 2026-11-26, the 2-core AVX-512 machine.) A work item is one batch and a run of column
/// panels that fits in a core's cache; each row block of A passes over all of them.
/// A tile's accumulators stay in registers over the whole reduction, and one test per group tells whether all 32 sums
/// are normals below 65504, which the integer rounding alone rounds exactly. CPU time, best of 4, same bits
/// (2026-11-26, the 2-core machine, shared): 384×768·768×3072 at k = 1 rn 976 → 308 ms, k = 4 rn 476 → 114 ms,
/// k = 16 rn 269 → 65 ms; the 12 score products 384×64·64×384 at k = 1 rn 194 → 40 ms.
/// </remarks>
internal static class GroupedFp16Gemm
{
    private const int TileRows = 4;
    private const int TileColumns = 2 * 4;

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

        if (rows < TileRows)
        {
            for (var p = 0; p < batch; p++)
            {
                MultiplyFewRows(a.Slice(p * rows * depth, rows * depth), b.Slice(p * depth * columns, depth * columns), c.Slice(p * rows * columns, rows * columns), depth, columns, groupSize, rounding);
            }

            return;
        }

        var rowBlocks = (rows + TileRows - 1) / TileRows;
        var panels = (columns + TileColumns - 1) / TileColumns;
        var packedALength = (long)batch * rowBlocks * depth * TileRows;
        var packedBLength = (long)batch * panels * depth * TileColumns;
        if (packedALength > Array.MaxLength || packedBLength > Array.MaxLength)
        {
            throw new ArgumentException($"grouped GEMM operands too large once padded to tiles: batch {batch}, [{rows}, {depth}]·[{depth}, {columns}]");
        }

        // Uninitialised: every element is written below (padding included), so zeroing would only add a pass. (Pooling
        // these arrays saved page faults but kept up to 100 MB of them alive, and the seed case's peak is close to its
        // memory target.)
        var packedA = GC.AllocateUninitializedArray<double>((int)packedALength);
        var packedB = GC.AllocateUninitializedArray<double>((int)packedBLength);
        var result = GC.AllocateUninitializedArray<double>(c.Length);

        for (var p = 0; p < batch; p++)
        {
            PackRows(a.Slice(p * rows * depth, rows * depth), packedA.AsSpan(p * rowBlocks * depth * TileRows, rowBlocks * depth * TileRows), rows, depth);
            PackColumns(b.Slice(p * depth * columns, depth * columns), packedB.AsSpan(p * panels * depth * TileColumns, panels * depth * TileColumns), depth, columns);
        }

        var shape = new Shape(rows, depth, columns, rowBlocks, panels, groupSize, rounding);
        var panelsPerItem = (int)Math.Clamp(PanelBytesPerItem / (depth * TileColumns * sizeof(double)), 1, panels);
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

        result.AsSpan(0, c.Length).CopyTo(c);
    }

    /// <summary>
    /// The same sums for fewer rows than a tile holds, without packing (the distinct rows of a constant input's
    /// products are one or two): packing B, a whole weight matrix in fresh memory, cost more than the product. Per
    /// element the operations are the tile's: each group's products summed in reduction order from +0, added to an
    /// accumulator that starts at −0, rounded once per group.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyFewRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int depth, int columns, int groupSize, AccumulationRounding rounding)
    {
        var sums = new double[columns];
        for (var i = 0; i < c.Length / columns; i++)
        {
            var row = a.Slice(i * depth, depth);
            var acc = c.Slice(i * columns, columns);
            acc.Fill(-0.0);
            for (var start = 0; start < depth; start += groupSize)
            {
                var end = Math.Min(start + groupSize, depth);
                Array.Clear(sums);
                for (var k = start; k < end; k++)
                {
                    var x = row[k];
                    var bk = b.Slice(k * columns, columns);
                    for (var j = 0; j < columns; j++)
                    {
                        sums[j] += x * bk[j];
                    }
                }

                for (var j = 0; j < columns; j++)
                {
                    acc[j] = Fp16RoundingKernel.Round(acc[j] + sums[j], rounding);
                }
            }
        }
    }

    /// <summary>Rows into blocks of <see cref="TileRows"/> interleaved along K; the rows past the last are zero.</summary>
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

        // Invariant: the array is not initialised, so the padding rows of the last block are zeroed here.
        for (var i = rows; i % TileRows != 0; i++)
        {
            var block = packed.Slice(i / TileRows * depth * TileRows);
            for (var k = 0; k < depth; k++)
            {
                block[(k * TileRows) + (i % TileRows)] = 0;
            }
        }
    }

    /// <summary>Columns into panels of <see cref="TileColumns"/> interleaved along K; the columns past the last are zero.</summary>
    private static void PackColumns(ReadOnlySpan<double> b, Span<double> packed, int depth, int columns)
    {
        var panels = (columns + TileColumns - 1) / TileColumns;
        for (var k = 0; k < depth; k++)
        {
            var row = b.Slice(k * columns, columns);
            for (var panel = 0; panel < panels; panel++)
            {
                var width = Math.Min(TileColumns, columns - (panel * TileColumns));
                var target = packed.Slice(((panel * depth) + k) * TileColumns, TileColumns);
                row.Slice(panel * TileColumns, width).CopyTo(target);

                // Invariant: the array is not initialised, so the padding columns of the last panel are zeroed here.
                target.Slice(width).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanels(double[] packedA, double[] packedB, double[] c, Shape s, int p, int firstPanel, int panelCount)
    {
        for (var block = 0; block < s.RowBlocks; block++)
        {
            var blockA = packedA.AsSpan((((p * s.RowBlocks) + block) * s.Depth * TileRows), s.Depth * TileRows);
            for (var panel = firstPanel; panel < firstPanel + panelCount; panel++)
            {
                var panelB = packedB.AsSpan((((p * s.Panels) + panel) * s.Depth * TileColumns), s.Depth * TileColumns);
                if (s.Rounding == AccumulationRounding.NearestEven)
                {
                    MultiplyTile<NearestEven>(blockA, panelB, c, s, p, block, panel);
                }
                else
                {
                    MultiplyTile<TowardZero>(blockA, panelB, c, s, p, block, panel);
                }
            }
        }
    }

    /// <summary>
    /// One 4×8 tile over the whole reduction: per group, exact-order float64 sums of the products, then
    /// acc = fp16(acc + sum). The accumulators stay in registers from the first group to the last (held in memory
    /// between groups they cost more than the products at k = 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTile<TRounding>(ReadOnlySpan<double> blockA, ReadOnlySpan<double> panelB, double[] c, Shape s, int p, int block, int panel)
        where TRounding : struct, IFp16Round
    {
        // −0 is the identity of float64 addition (+0 is not: +0 + −0 = +0), so the first group sum passes unchanged.
        var acc0 = Vector256.Create(-0.0);
        var acc1 = acc0;
        var acc2 = acc0;
        var acc3 = acc0;
        var acc4 = acc0;
        var acc5 = acc0;
        var acc6 = acc0;
        var acc7 = acc0;

        // Invariant: blockA holds Depth steps of TileRows values and panelB Depth steps of TileColumns values (both
        // sliced, bounds-checked, by the caller), so the unchecked reads below, k < Depth, stay inside them.
        if (blockA.Length != s.Depth * TileRows || panelB.Length != s.Depth * TileColumns)
        {
            throw new ArgumentException("grouped GEMM tile operands have the wrong length");
        }

        ref var av = ref MemoryMarshal.GetReference(blockA);
        ref var bv = ref MemoryMarshal.GetReference(panelB);
        for (var start = 0; start < s.Depth; start += s.GroupSize)
        {
            var end = Math.Min(start + s.GroupSize, s.Depth);
            var s00 = Vector256<double>.Zero;
            var s01 = Vector256<double>.Zero;
            var s10 = Vector256<double>.Zero;
            var s11 = Vector256<double>.Zero;
            var s20 = Vector256<double>.Zero;
            var s21 = Vector256<double>.Zero;
            var s30 = Vector256<double>.Zero;
            var s31 = Vector256<double>.Zero;
            for (var k = start; k < end; k++)
            {
                var b0 = Vector256.LoadUnsafe(ref bv, (nuint)(k * TileColumns));
                var b1 = Vector256.LoadUnsafe(ref bv, (nuint)((k * TileColumns) + 4));
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

            var x0 = acc0 + s00;
            var x1 = acc1 + s01;
            var x2 = acc2 + s10;
            var x3 = acc3 + s11;
            var x4 = acc4 + s20;
            var x5 = acc5 + s21;
            var x6 = acc6 + s30;
            var x7 = acc7 + s31;

            // One test for the whole tile: when every sum is a normal below 65504 (nearly always), the integer rounding
            // alone is exact; otherwise each vector takes the full rounding (zeros, subnormals, overflow, NaN).
            var largest = Vector256.Max(
                Vector256.Max(
                    Vector256.Max(Fp16RoundingKernel.NormalOffset(x0), Fp16RoundingKernel.NormalOffset(x1)),
                    Vector256.Max(Fp16RoundingKernel.NormalOffset(x2), Fp16RoundingKernel.NormalOffset(x3))),
                Vector256.Max(
                    Vector256.Max(Fp16RoundingKernel.NormalOffset(x4), Fp16RoundingKernel.NormalOffset(x5)),
                    Vector256.Max(Fp16RoundingKernel.NormalOffset(x6), Fp16RoundingKernel.NormalOffset(x7))));
            if (Fp16RoundingKernel.AllNormal(largest))
            {
                acc0 = TRounding.RoundNormal(x0);
                acc1 = TRounding.RoundNormal(x1);
                acc2 = TRounding.RoundNormal(x2);
                acc3 = TRounding.RoundNormal(x3);
                acc4 = TRounding.RoundNormal(x4);
                acc5 = TRounding.RoundNormal(x5);
                acc6 = TRounding.RoundNormal(x6);
                acc7 = TRounding.RoundNormal(x7);
            }
            else
            {
                acc0 = TRounding.Round(x0);
                acc1 = TRounding.Round(x1);
                acc2 = TRounding.Round(x2);
                acc3 = TRounding.Round(x3);
                acc4 = TRounding.Round(x4);
                acc5 = TRounding.Round(x5);
                acc6 = TRounding.Round(x6);
                acc7 = TRounding.Round(x7);
            }
        }

        var firstColumn = panel * TileColumns;
        var validColumns = Math.Min(TileColumns, s.Columns - firstColumn);
        var firstRow = block * TileRows;
        Span<double> tile = stackalloc double[TileRows * TileColumns];
        acc0.CopyTo(tile);
        acc1.CopyTo(tile.Slice(4));
        acc2.CopyTo(tile.Slice(8));
        acc3.CopyTo(tile.Slice(12));
        acc4.CopyTo(tile.Slice(16));
        acc5.CopyTo(tile.Slice(20));
        acc6.CopyTo(tile.Slice(24));
        acc7.CopyTo(tile.Slice(28));
        for (var r = 0; r < TileRows && firstRow + r < s.Rows; r++)
        {
            tile.Slice(r * TileColumns, validColumns).CopyTo(c.AsSpan((((p * s.Rows) + firstRow + r) * s.Columns) + firstColumn, validColumns));
        }
    }

    /// <summary>The rounding mode as a type, so each tile loop is compiled for one mode with no test per group.</summary>
    private interface IFp16Round
    {
        static abstract Vector256<double> Round(Vector256<double> x);

        static abstract Vector256<double> RoundNormal(Vector256<double> x);
    }

    private readonly struct NearestEven : IFp16Round
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Round(Vector256<double> x) => Fp16RoundingKernel.Round(x, AccumulationRounding.NearestEven);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> RoundNormal(Vector256<double> x) => Fp16RoundingKernel.RoundNormal(x, AccumulationRounding.NearestEven);
    }

    private readonly struct TowardZero : IFp16Round
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Round(Vector256<double> x) => Fp16RoundingKernel.Round(x, AccumulationRounding.TowardZero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> RoundNormal(Vector256<double> x) => Fp16RoundingKernel.RoundNormal(x, AccumulationRounding.TowardZero);
    }

    private sealed record Shape(int Rows, int Depth, int Columns, int RowBlocks, int Panels, int GroupSize, AccumulationRounding Rounding);
}
