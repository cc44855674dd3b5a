using System.Globalization;
using System.Text;
using static Harness.Reporting.Documents.HtmlBlocks;

namespace Harness.Reporting.Documents;

/// <summary>One tensor's collapsible section of report.html: verdict, metrics, hypotheses, patterns, plots and dumps.</summary>
internal static class HtmlTensorSection
{
    public static void Write(StringBuilder html, TensorSection t, string id, string directory, TensorPlotFiles plots)
    {
        html.Append("<details class=\"tensor ").Append(t.Passed ? "passed" : "failed").Append("\" id=\"").Append(id).Append('"')
            .Append(t.Passed ? "" : " open").Append(">\n<summary>").Append(Badge(t.Passed))
            .Append("<span class=\"name mono\">").Append(E(t.Name)).Append("</span>")
            .Append(t.Passed ? string.Empty : $"<span class=\"kind\">{E(ReportText.Kind(t.Kind))}</span>")
            .Append("<span class=\"brief\">max abs ").Append(E(ReportText.Number(t.MaxAbs)))
            .Append(", budget used ").Append(E(ReportText.BudgetUsed(t.BudgetUsed))).Append("</span></summary>\n")
            .Append("<div class=\"tensor-body\">\n");
        if (t.VerdictLine.Length > 0)
        {
            html.Append("<pre class=\"verdict\">").Append(E(t.VerdictLine)).Append("</pre>\n");
        }

        if (t.Metrics.Count > 0)
        {
            html.Append("<h4>Metrics</h4>\n");
            Table(html, null, [], t.Metrics, m => LabelledRow(html, m.Label, m.Value, mono: true));
        }

        Hypotheses(html, t.Hypotheses);
        if (t.PatternFindings.Count > 0)
        {
            html.Append("<h4>Where the errors are</h4>\n");
            List(html, t.PatternFindings);
        }

        if (plots.Heatmap is not null || plots.Histogram is not null)
        {
            html.Append("<h4>Plots</h4>\n<div class=\"plots\">\n");
            Figure(html, directory, plots.Heatmap, $"{t.Name}: |kernel − truth| heatmap");
            Figure(html, directory, plots.Histogram, $"{t.Name}: log10 |kernel − truth| histogram");
            html.Append("</div>\n");
        }

        Dump(html, "Side by side", t.SideBySide);
        Dump(html, "Reference", t.ReferenceDump);
        Dump(html, "Kernel", t.KernelDump);
        html.Append("</div>\n</details>\n");
    }

    private static void Hypotheses(StringBuilder html, IReadOnlyList<HypothesisRow> hypotheses)
    {
        if (hypotheses.Count == 0)
        {
            return;
        }

        html.Append("<h4>Hypotheses</h4>\n");
        Table(html, null, ["rank", "hypothesis", "description", "error removed", "explains", "detail"], hypotheses, h =>
            html.Append(h.Explains ? "<tr class=\"explains\">" : "<tr>")
                .Append(NumberCell(h.Rank.ToString(CultureInfo.InvariantCulture)))
                .Append("<td>").Append(E(h.Name)).Append("</td>")
                .Append("<td>").Append(E(h.Description)).Append("</td>")
                .Append(NumberCell(ReportText.ErrorRemoved(h.ErrorRemovedPercent)))
                .Append("<td>").Append(ReportText.YesNo(h.Explains)).Append("</td>")
                .Append("<td>").Append(E(h.Detail)).Append("</td></tr>\n"));
    }

    private static void Figure(StringBuilder html, string directory, string? file, string caption)
    {
        if (file is null)
        {
            return;
        }

        var data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(directory, file)));
        html.Append("<figure><img alt=\"").Append(E(caption)).Append("\" src=\"data:image/png;base64,").Append(data).Append("\">")
            .Append("<figcaption>").Append(E(caption)).Append(" (").Append(E(file)).Append(")</figcaption></figure>\n");
    }

    private static void Dump(StringBuilder html, string heading, string text)
    {
        if (text.Length > 0)
        {
            html.Append("<h4>").Append(heading).Append("</h4>\n<pre>").Append(E(text.TrimEnd('\n'))).Append("</pre>\n");
        }
    }
}
