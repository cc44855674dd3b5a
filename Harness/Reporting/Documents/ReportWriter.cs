namespace Harness.Reporting.Documents;

/// <summary>The files one <see cref="ReportWriter.Write"/> produced, as full paths.</summary>
public sealed record ReportPaths(string Markdown, string Html, IReadOnlyList<string> Plots);

/// <summary>Writes report.md and report.html into one directory, drawing the shared plots once.</summary>
public static class ReportWriter
{
    public static ReportPaths Write(ReportModel model, string directory)
    {
        var (full, plots) = ReportOutput.Prepare(model, directory);
        var markdown = MarkdownReport.Write(model, full, plots);
        var html = HtmlReport.Write(model, full, plots);
        var files = plots.SelectMany(p => new[] { p.Heatmap, p.Histogram }).OfType<string>().Select(f => Path.Combine(full, f)).ToList();
        return new ReportPaths(markdown, html, files);
    }
}
