using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

/// <summary>
/// The library's tensor table (bert_kernels.h, BK_TENSOR_TABLE) against the harness's <see cref="TensorNames"/>:
/// same rows in the same order, same kind (fp32 accumulator or dtype) and the same shape formula. Checked when a
/// library joins a catalog, so a library built from another header is refused at load, not misread at run time.
/// </summary>
public static class TensorTableCheck
{
    /// <summary>Distinct primes (M = 35, B·H = 10, B·S = 6, ...), so a formula with a wrong dimension cannot match by accident.</summary>
    public static LayerShape ProbeShape { get; } = new(Batch: 2, Sequence: 3, Heads: 5, HeadSize: 7, Intermediate: 11);

    /// <summary>Throws <see cref="AbiMismatchException"/> naming the first row that differs; ABI 1 libraries have no table.</summary>
    public static void Verify(KernelLibrary library)
    {
        if (library.AbiVersion < 2)
        {
            return;
        }

        if (Mismatch(library.TensorTable()) is { } problem)
        {
            throw new AbiMismatchException($"kernel library {library.Path}: its tensor table differs from the harness's: {problem}");
        }
    }

    /// <summary>Null when the rows match <see cref="TensorNames.Produced"/>, else one line naming the row and field.</summary>
    public static string? Mismatch(IReadOnlyList<TensorTableRow> rows)
    {
        var expected = TensorNames.Produced;
        if (rows.Count != expected.Count)
        {
            return $"{rows.Count} rows, the harness knows {expected.Count}";
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var name = expected[i];
            if (row.Name != name || row.Index != i)
            {
                return $"row {i} is '{row.Name}' (index {row.Index}), the harness expects '{name}'";
            }

            var kind = TensorNames.IsFloat32Accumulator(name) ? BkConstants.KindFp32 : BkConstants.KindDtype;
            if (row.Kind != kind)
            {
                return $"row {i} '{name}' has kind {row.Kind}, the harness expects {kind} ({(kind == BkConstants.KindFp32 ? "fp32" : "dtype")})";
            }

            var shape = Shape(row, ProbeShape);
            var wanted = TensorNames.ShapeOf(name, ProbeShape);
            if (!shape.SequenceEqual(wanted))
            {
                return $"row {i} '{name}' has shape [{string.Join(", ", shape)}] at {ProbeShape}, the harness expects [{string.Join(", ", wanted)}]";
            }
        }

        return null;
    }

    /// <summary>A row's shape at <paramref name="s"/>: each axis is its factor (bits 8-15) times its BK_DIM_* product (bits 0-7).</summary>
    public static long[] Shape(TensorTableRow row, LayerShape s)
    {
        if (row.Rank is < 1 or > 4)
        {
            return [];
        }

        return row.Axes.Take(row.Rank).Select(axis =>
        {
            long value = (axis >> 8) & 0xff;
            foreach (var (bit, dim) in new[] { (BkConstants.DimB, s.Batch), (BkConstants.DimS, s.Sequence), (BkConstants.DimH, s.Heads), (BkConstants.DimD, s.HeadSize), (BkConstants.DimF, s.Intermediate) })
            {
                if ((axis & bit) != 0)
                {
                    value *= dim;
                }
            }

            return value;
        }).ToArray();
    }
}
