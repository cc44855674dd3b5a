using System.Text;
using System.Text.RegularExpressions;
using Harness.Reporting.Plots;

namespace Harness.Reporting.Documents;

/// <summary>The PNG files of one tensor, as file names relative to the report's directory; null where none was drawn.</summary>
internal sealed record TensorPlotFiles(string? Heatmap, string? Histogram);

/// <summary>
/// Draws the heatmap and histogram PNGs next to the reports: for failing tensors only unless the model asks for all,
/// so a report has at most two PNGs per failing tensor. File names start with the tensor's position in dataflow
/// order, which keeps them unique and sorted even when names differ only in characters a file name cannot hold.
/// </summary>
internal static partial class ReportPlots
{
    private const int MaxSlugLength = 48;

    // Invariant: the result has one entry per tensor, at the tensor's index in model.Tensors, so the documents can
    // pair them by position.
    public static IReadOnlyList<TensorPlotFiles> Write(ReportModel model, string directory)
    {
        // Each tensor's plots are separate plot objects and files, so they are drawn in parallel.
        var files = new TensorPlotFiles[model.Tensors.Count];
        Parallel.For(0, model.Tensors.Count, i => files[i] = WriteTensor(model, i, directory));
        return files;
    }

    private static TensorPlotFiles WriteTensor(ReportModel model, int i, string directory)
    {
        var tensor = model.Tensors[i];
        if (tensor.Passed && !model.PlotAllTensors)
        {
            return new TensorPlotFiles(null, null);
        }

        var stem = $"{i + 1:00}-{Slug(tensor.Name)}";
        string? heatmapFile = null;
        string? histogramFile = null;
        if (tensor.Heatmap is { } heatmap)
        {
            heatmapFile = stem + "-heatmap.png";
            ErrorPlots.SaveHeatmap(heatmap, $"{tensor.Name} |kernel − truth|", Path.Combine(directory, heatmapFile));
        }

        if (tensor.AbsErrors is { } errors)
        {
            histogramFile = stem + "-histogram.png";
            ErrorPlots.SaveHistogram(errors, $"{tensor.Name} log10 |kernel − truth|", Path.Combine(directory, histogramFile));
        }

        return new TensorPlotFiles(heatmapFile, histogramFile);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a plot's file name as <see cref="WriteTensor"/> gives it: the plots of a
    /// report written without a manifest are told apart from other PNGs beside them (a screenshot) by this alone.
    /// </summary>
    public static bool IsFileName(string name) => FileNamePattern().IsMatch(name);

    // Invariant: matches exactly WriteTensor's names: its position (two digits or more), its slug (up to MaxSlugLength
    // of Slug's characters), the plot's kind.
    [GeneratedRegex(@"^[0-9]{2,}-[A-Za-z0-9._-]{0,48}-(?:heatmap|histogram)\.png\z")]
    private static partial Regex FileNamePattern();

    /// <summary>Letters, digits, '.', '-' and '_' survive; anything else (path separators, markup) becomes '_'.</summary>
    private static string Slug(string name)
    {
        var slug = new StringBuilder(Math.Min(name.Length, MaxSlugLength));
        foreach (var c in name.Take(MaxSlugLength))
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return slug.ToString();
    }
}
