using System.Globalization;
using System.Text;
using Harness.Comparison;
using Harness.Model;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>
/// The tensor dump format (docs/SEMANTICS.md §5) as text: one tensor, or reference and kernel side by side with the difference
/// statistics. Pure functions of already computed statistics; every line ends with '\n'.
/// </summary>
public static class TensorDump
{
    /// <summary>
    /// The seven lines of the dump format. Min, Max, Mean and Std are over the finite values; when there are NaN or
    /// infinite values an eighth line counts them, so a dump never hides them (finite tensors print exactly seven).
    /// </summary>
    public static string Render(string name, TensorStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var text = new StringBuilder();
        text.Append("=== ").Append(name).Append(" ===\n");
        text.Append("Shape: ").Append(Shape(stats.Shape)).Append('\n');
        text.Append("Dtype: ").Append(stats.Dtype.DumpName()).Append('\n');
        text.Append("Min: ").Append(Number(stats.Min)).Append('\n');
        text.Append("Max: ").Append(Number(stats.Max)).Append('\n');
        text.Append("Mean: ").Append(Number(stats.Mean)).Append('\n');
        text.Append("Std: ").Append(Number(stats.Std)).Append('\n');
        text.Append("First 10 values: ").AppendJoin(' ', stats.First10.Select(Number)).Append('\n');
        if (stats.NaNCount + stats.InfinityCount > 0)
        {
            text.Append("Non-finite: ").Append(NonFinite(stats)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Reference (the comparison's expected side) and kernel (its actual side) in two columns, the difference
    /// statistics in a third, separated by '|'.
    /// </summary>
    public static string RenderSideBySide(TensorComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var reference = comparison.ExpectedStats;
        var kernel = comparison.ActualStats;
        var left = new List<string[]>
        {
            new[] { string.Empty, "reference", "kernel" },
            new[] { "Shape", Shape(reference.Shape), Shape(kernel.Shape) },
            new[] { "Dtype", reference.Dtype.DumpName(), kernel.Dtype.DumpName() },
            new[] { "Min", Number(reference.Min), Number(kernel.Min) },
            new[] { "Max", Number(reference.Max), Number(kernel.Max) },
            new[] { "Mean", Number(reference.Mean), Number(kernel.Mean) },
            new[] { "Std", Number(reference.Std), Number(kernel.Std) },
            new[] { "Non-finite", NonFinite(reference), NonFinite(kernel) },
        };
        var leading = Math.Max(reference.First10.Count, kernel.First10.Count);
        for (var i = 0; i < leading; i++)
        {
            left.Add([$"Value[{i}]", ValueAt(reference.First10, i), ValueAt(kernel.First10, i)]);
        }

        var right = DifferenceRows(comparison);
        var rows = Math.Max(left.Count, right.Count);
        var grid = new List<string[]>(rows);
        for (var r = 0; r < rows; r++)
        {
            var l = r < left.Count ? left[r] : [string.Empty, string.Empty, string.Empty];
            var d = r < right.Count ? right[r] : [string.Empty, string.Empty];
            grid.Add([l[0], l[1], l[2], "|", d[0], d[1]]);
        }

        var text = new StringBuilder();
        text.Append("=== ").Append(comparison.Name).Append(" ===\n");
        AppendColumns(text, grid);
        return text.ToString();
    }

    private static List<string[]> DifferenceRows(TensorComparison c)
    {
        var rows = new List<string[]>
        {
            new[] { "difference", string.Empty },
            new[] { "Max abs", Number(c.MaxAbs) },
            new[] { "Max rel", Number(c.MaxRel) },
            new[] { "Mean abs", Number(c.MeanAbs) },
            new[] { "RMSE", Number(c.Rmse) },
            new[] { "Relative L2", Number(c.RelativeL2) },
            new[] { "Cosine", Number(c.Cosine) },
            new[] { "Mismatch", $"{Percent(c.MismatchPercent)} ({c.MismatchCount} of {c.ElementCount}) at {c.Tolerance}" },
            new[] { "Max ULP fp16", c.MaxUlpFp16.ToString(CultureInfo.InvariantCulture) },
        };
        if (c.MaxUlpFp32 is { } ulp32)
        {
            rows.Add(["Max ULP fp32", ulp32.ToString(CultureInfo.InvariantCulture)]);
        }

        if (c.Worst is { } worst)
        {
            rows.Add(["Worst index", $"{Shape(worst.Index)} (flat {worst.Flat})"]);
            rows.Add(["Worst reference", Number(worst.Expected)]);
            rows.Add(["Worst kernel", Number(worst.Actual)]);
        }

        rows.Add(["Min passing atol", Number(c.MinimalPassingAtol)]);
        rows.Add(["Min passing rtol", Number(c.MinimalPassingRtol)]);
        rows.Add(["Verdict", c.Passed ? "PASS" : "FAIL"]);
        return rows;
    }

    private static void AppendColumns(StringBuilder text, List<string[]> grid)
    {
        var widths = new int[grid[0].Length];
        foreach (var row in grid)
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach (var row in grid)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(row[c].PadRight(widths[c])).Append(c < row.Length - 1 ? "  " : string.Empty);
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static string ValueAt(IReadOnlyList<double> values, int i) => i < values.Count ? Number(values[i]) : string.Empty;

    private static string NonFinite(TensorStatistics s) =>
        $"{s.NaNCount} nan, {s.PositiveInfinityCount} inf, {s.NegativeInfinityCount} -inf";
}
