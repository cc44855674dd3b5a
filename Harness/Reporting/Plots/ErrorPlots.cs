using Harness.Diagnosis.Patterns;
using ScottPlot;

namespace Harness.Reporting.Plots;

/// <summary>PNG plots of where and how large the errors are: an |error| heatmap with a colour bar, and a log10 |error| histogram.</summary>
public static class ErrorPlots
{
    /// <summary>Decades per histogram bin: a quarter decade separates fp16 ulp-level errors from real ones at a glance.</summary>
    public const double DecadesPerBin = 0.25;

    public const int DefaultWidth = 900;

    public const int DefaultHeight = 700;

    /// <summary>
    /// Saves <paramref name="values"/> as a heatmap with a colour bar, row 0 at the top like a matrix. NaN cells
    /// (non-finite errors) are drawn in magenta so they can never pass for small ones.
    /// </summary>
    public static void SaveHeatmap(double[,] values, string title, string xLabel, string yLabel, string pngPath, int width = DefaultWidth, int height = DefaultHeight) =>
        SaveHeatmap(values, title, xLabel, yLabel, pngPath, width, height, rowsPerCell: 1, columnsPerCell: 1);

    /// <summary>Saves a pattern's pooled heatmap with axes in tensor rows and columns (a pooled cell spans several).</summary>
    public static void SaveHeatmap(ErrorHeatmap heatmap, string title, string pngPath, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        SaveHeatmap(heatmap.Values, title, HeatmapText.ColumnLabel(heatmap), HeatmapText.RowLabel(heatmap), pngPath, width, height, heatmap.RowsPerCell, heatmap.ColumnsPerCell);
    }

    private static void SaveHeatmap(double[,] values, string title, string xLabel, string yLabel, string pngPath, int width, int height, int rowsPerCell, int columnsPerCell)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
        {
            throw new ArgumentException($"heatmap '{title}' has no cells ({values.GetLength(0)}×{values.GetLength(1)})", nameof(values));
        }

        PrepareOutput(pngPath, width, height);
        PlotFonts.EnsureUsable();
        var plot = new Plot();
        if (!values.Cast<double>().Any(double.IsFinite))
        {
            // ScottPlot cannot range a map without a finite cell (a crashed kernel's tensor): the whole area is drawn in
            // the NaN colour with a note instead.
            var area = plot.Add.Rectangle(0, values.GetLength(1) * columnsPerCell, 0, values.GetLength(0) * rowsPerCell);
            area.FillColor = Colors.Magenta;
            plot.Add.Text("every element non-finite (NaN/Inf)", values.GetLength(1) * columnsPerCell / 2.0, values.GetLength(0) * rowsPerCell / 2.0);
            plot.Axes.InvertY();
            plot.Title(title);
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            plot.SavePng(pngPath, width, height);
            return;
        }

        var heatmap = plot.Add.Heatmap(AtLeastTwoByTwo(values));
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.Magenta;

        // The rectangle is in tensor indices (a pooled cell spans several rows or columns), so ticks read rows and
        // columns; the inverted y axis puts row 0 at the top, as in the matrix.
        heatmap.Rectangle = new CoordinateRect(0, values.GetLength(1) * columnsPerCell, 0, values.GetLength(0) * rowsPerCell);
        plot.Axes.InvertY();
        var scale = ColourScale.Of(values);
        heatmap.ManualRange = new ScottPlot.Range(scale.Min, scale.Max);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "|error|";
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            scale.Ticks.ToArray(), scale.Ticks.Select(t => t.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.SavePng(pngPath, width, height);
    }

    /// <summary>
    /// Saves a histogram of log10 |error| in bins of <see cref="DecadesPerBin"/> decades. Exact zeros (no log) get their
    /// own bar left of the others; non-finite errors are counted in the title, never binned.
    /// </summary>
    public static void SaveHistogram(double[] absErrors, string title, string pngPath, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(absErrors);
        if (absErrors.Length == 0)
        {
            throw new ArgumentException($"histogram '{title}' has no errors to plot", nameof(absErrors));
        }

        PrepareOutput(pngPath, width, height);
        PlotFonts.EnsureUsable();
        var bins = LogHistogram.From(absErrors, DecadesPerBin);
        var plot = new Plot();
        if (bins.Counts.Length > 0)
        {
            var bars = plot.Add.Bars(bins.Centers, bins.Counts.Select(c => (double)c).ToArray());
            foreach (var bar in bars.Bars)
            {
                bar.Size = DecadesPerBin;
            }

            bars.LegendText = "|error| > 0";
        }

        if (bins.Zeros > 0)
        {
            var zeroBar = plot.Add.Bars([bins.ZeroPosition], [(double)bins.Zeros]);
            zeroBar.Bars[0].Size = DecadesPerBin;
            zeroBar.Bars[0].FillColor = Colors.Gray;
            zeroBar.LegendText = $"|error| = 0 ({bins.Zeros}), drawn at {bins.ZeroPosition:0.##}";
        }

        plot.ShowLegend();
        var nonFinite = bins.NonFinite > 0 ? $" ({bins.NonFinite} non-finite, not shown)" : string.Empty;
        plot.Title(title + nonFinite);
        plot.XLabel("log10 |error|");
        plot.YLabel("count");
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(pngPath, width, height);
    }

    /// <summary>
    /// ScottPlot draws nothing for a heatmap one cell wide or tall (an [B·S] accumulator's map is one column), so such a
    /// matrix is split into two equal halves along that axis; the rectangle keeps the picture the same.
    /// </summary>
    private static double[,] AtLeastTwoByTwo(double[,] values)
    {
        var rows = values.GetLength(0);
        var columns = values.GetLength(1);
        if (rows > 1 && columns > 1)
        {
            return values;
        }

        var rowFactor = rows == 1 ? 2 : 1;
        var columnFactor = columns == 1 ? 2 : 1;
        var split = new double[rows * rowFactor, columns * columnFactor];
        for (var r = 0; r < split.GetLength(0); r++)
        {
            for (var c = 0; c < split.GetLength(1); c++)
            {
                split[r, c] = values[r / rowFactor, c / columnFactor];
            }
        }

        return split;
    }

    private static void PrepareOutput(string pngPath, int width, int height)
    {
        if (string.IsNullOrWhiteSpace(pngPath))
        {
            throw new ArgumentException("plot path is empty", nameof(pngPath));
        }

        if (width < 100 || height < 100)
        {
            throw new ArgumentException($"plot size {width}×{height} is too small to read; at least 100×100", nameof(width));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
