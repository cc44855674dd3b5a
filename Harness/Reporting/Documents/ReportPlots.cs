using System.Text;
using Harness.Reporting.Plots;

namespace Harness.Reporting.Documents;

/// <summary>The PNG files of one tensor, as file names relative to the report's directory; null where none was drawn.</summary>
internal sealed record TensorPlotFiles(string? Heatmap, string? Histogram);

/// <summary>
/// Draws the heatmap and histogram PNGs next to the reports: for failing tensors only unless the model asks for all,
/// so a report has at most two PNGs per failing tensor. File names start with the tensor's position in dataflow
/// order, which keeps them unique and sorted even when names differ only in characters a file name cannot hold.
/// </summary>
internal static class ReportPlots
{
    private const int MaxSlugLength = 48;

    // Invariant: the result has one entry per tensor, at the tensor's index in model.Tensors, so the documents can
    // pair them by position.
    public static IReadOnlyList<TensorPlotFiles> Write(ReportModel model, string directory)
    {
        var files = new List<TensorPlotFiles>(model.Tensors.Count);
        for (var i = 0; i < model.Tensors.Count; i++)
        {
            var tensor = model.Tensors[i];
            if (tensor.Passed && !model.PlotAllTensors)
            {
                files.Add(new TensorPlotFiles(null, null));
                continue;
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

            files.Add(new TensorPlotFiles(heatmapFile, histogramFile));
        }

        return files;
    }

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
