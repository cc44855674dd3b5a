using System.Globalization;
using System.Net;
using System.Text;

namespace Harness.Reporting.Documents;

/// <summary>
/// report.html: one self-contained page (inline CSS, plots as base64 data URIs, no external resources) with a sticky
/// summary bar, the same sections as the Markdown report, and a collapsible section per tensor, open when it fails.
/// The PNG files are left beside it as well.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>Writes report.html (and the plots it embeds) into <paramref name="directory"/>; returns report.html's path.</summary>
    public static string Write(ReportModel model, string directory)
    {
        ReportModelCheck.Validate(model);
        var full = ReportOutput.PrepareDirectory(directory);
        return Write(model, full, ReportPlots.Write(model, full));
    }

    internal static string Write(ReportModel model, string directory, IReadOnlyList<TensorPlotFiles> plots) =>
        ReportOutput.WriteText(directory, FileName, Render(model, directory, plots));

    private static string Render(ReportModel model, string directory, IReadOnlyList<TensorPlotFiles> plots)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(model.Title)).Append(" — ").Append(ReportText.Verdict(model.Passed)).Append("</title>\n")
            .Append("<style>\n").Append(HtmlReportStyle.Css).Append("\n</style>\n")
            .Append("<script>\n").Append(HtmlReportStyle.Script).Append("\n</script>\n</head>\n<body>\n");
        Header(html, model);
        html.Append("<main>\n");
        Summary(html, model);
        Findings(html, model);
        BlindSpots(html, model);
        Comparability(html, model);
        Stages(html, model);
        Invariants(html, model);
        html.Append("<section id=\"tensors\">\n<h2>Tensors</h2>\n");
        for (var i = 0; i < model.Tensors.Count; i++)
        {
            Tensor(html, model.Tensors[i], TensorId(i), directory, plots[i]);
        }

        Empty(html, model.Tensors.Count, "No tensors were compared.");
        html.Append("</section>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, ReportModel model)
    {
        html.Append("<header class=\"summary\">\n<h1>").Append(Badge(model.Passed)).Append(' ').Append(E(model.Title)).Append("</h1>\n");
        if (model.Subtitle.Length > 0)
        {
            html.Append("<p class=\"subtitle\">").Append(E(model.Subtitle)).Append("</p>\n");
        }

        html.Append("<p class=\"tally\">").Append(E(ReportText.Tally(model)));
        var origin = model.Tensors.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Kind == TensorKind.Origin);
        if (origin.t is not null)
        {
            html.Append(" · error starts at <a href=\"#").Append(TensorId(origin.i)).Append("\"><code>").Append(E(origin.t.Name)).Append("</code></a>");
        }

        html.Append("</p>\n<nav>")
            .Append("<a href=\"#summary\">Summary</a><a href=\"#findings\">Findings</a><a href=\"#blind-spots\">Blind spots</a>")
            .Append("<a href=\"#comparability\">Comparability</a><a href=\"#stages\">Stage isolation</a>")
            .Append("<a href=\"#invariants\">Invariants</a><a href=\"#tensors\">Tensors</a></nav>\n</header>\n");
    }

    private static void Summary(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n");
        if (model.RunFacts.Count > 0)
        {
            html.Append("<table class=\"facts\">\n");
            foreach (var fact in model.RunFacts)
            {
                html.Append("<tr><th>").Append(E(fact.Label)).Append("</th><td>").Append(E(fact.Value)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        if (model.Tensors.Count > 0)
        {
            html.Append("<table class=\"verdicts\">\n<tr><th>tensor</th><th>verdict</th><th>kind</th><th>max abs</th><th>budget used</th><th>worst element</th></tr>\n");
            for (var i = 0; i < model.Tensors.Count; i++)
            {
                var t = model.Tensors[i];
                html.Append(t.Passed ? "<tr>" : "<tr class=\"fail\">")
                    .Append("<td><a href=\"#").Append(TensorId(i)).Append("\"><code>").Append(E(t.Name)).Append("</code></a></td>")
                    .Append("<td>").Append(Badge(t.Passed)).Append("</td>")
                    .Append("<td>").Append(E(ReportText.Kind(t.Kind))).Append("</td>")
                    .Append(NumberCell(ReportText.Number(t.MaxAbs)))
                    .Append(NumberCell(ReportText.BudgetUsed(t.BudgetUsed)))
                    .Append("<td class=\"mono\">").Append(E(ReportText.OrDash(t.WorstElement))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("</section>\n");
    }

    private static void Findings(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (model.Findings.Count > 0)
        {
            html.Append("<ol class=\"findings\">\n");
            foreach (var finding in model.Findings)
            {
                html.Append("<li>").Append(E(finding)).Append("</li>\n");
            }

            html.Append("</ol>\n");
        }

        Empty(html, model.Findings.Count, "No findings.");
        html.Append("</section>\n");
    }

    private static void BlindSpots(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"blind-spots\">\n<h2>Blind spots</h2>\n");
        foreach (var spot in model.BlindSpots)
        {
            html.Append("<div class=\"card\">\n<h3>").Append(E(spot.Title)).Append("</h3>\n<p>").Append(E(spot.Description)).Append("</p>\n");
            if (spot.HiddenDefects.Count > 0)
            {
                html.Append("<p>Defects this could hide:</p>\n");
                List(html, spot.HiddenDefects);
            }

            html.Append("</div>\n");
        }

        Empty(html, model.BlindSpots.Count, "None named.");
        html.Append("</section>\n");
    }

    private static void Comparability(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"comparability\">\n<h2>Comparability</h2>\n");
        List(html, model.ComparabilityNotes);
        Empty(html, model.ComparabilityNotes.Count, "No notes.");
        html.Append("</section>\n");
    }

    private static void Stages(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"stages\">\n<h2>Stage isolation</h2>\n");
        if (model.Stages.Count > 0)
        {
            html.Append("<table>\n<tr><th>stage</th><th>outputs</th><th>introduced max abs</th><th>introduced budget used</th><th>inherited max abs</th><th>verdict</th></tr>\n");
            foreach (var s in model.Stages)
            {
                html.Append(s.Passed ? "<tr>" : "<tr class=\"fail\">")
                    .Append("<td>").Append(E(s.Stage)).Append("</td>")
                    .Append("<td>").AppendJoin(", ", s.Outputs.Select(o => $"<code>{E(o)}</code>")).Append("</td>")
                    .Append(NumberCell(ReportText.Number(s.IntroducedMaxAbs)))
                    .Append(NumberCell(ReportText.BudgetUsed(s.IntroducedBudgetUsed)))
                    .Append(NumberCell(ReportText.Number(s.InheritedMaxAbs)))
                    .Append("<td>").Append(Badge(s.Passed)).Append(' ').Append(E(s.Verdict)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        Empty(html, model.Stages.Count, "No stage was run in isolation.");
        html.Append("</section>\n");
    }

    private static void Invariants(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"invariants\">\n<h2>Invariants</h2>\n");
        if (model.Invariants.Count > 0)
        {
            html.Append("<table>\n<tr><th>invariant</th><th>tensor</th><th>status</th><th>detail</th></tr>\n");
            foreach (var r in model.Invariants)
            {
                var (rowClass, badgeClass) = r.Status switch
                {
                    Diagnosis.Invariants.InvariantStatus.Passed => ("", "pass"),
                    Diagnosis.Invariants.InvariantStatus.Failed => (" class=\"fail\"", "fail"),
                    _ => ("", "na"),
                };
                html.Append("<tr").Append(rowClass).Append("><td>").Append(E(r.Name)).Append("</td>")
                    .Append("<td><code>").Append(E(r.Tensor)).Append("</code></td>")
                    .Append("<td><span class=\"badge ").Append(badgeClass).Append("\">").Append(E(ReportText.Status(r.Status))).Append("</span></td>")
                    .Append("<td>").Append(E(r.Detail)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        Empty(html, model.Invariants.Count, "No invariant was checked.");
        html.Append("</section>\n");
    }

    private static void Tensor(StringBuilder html, TensorSection t, string id, string directory, TensorPlotFiles plots)
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
            html.Append("<h4>Metrics</h4>\n<table>\n");
            foreach (var m in t.Metrics)
            {
                html.Append("<tr><th>").Append(E(m.Label)).Append("</th><td class=\"mono\">").Append(E(m.Value)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
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

        html.Append("<h4>Hypotheses</h4>\n<table>\n<tr><th>rank</th><th>hypothesis</th><th>description</th><th>error removed</th><th>explains</th><th>detail</th></tr>\n");
        foreach (var h in hypotheses)
        {
            html.Append(h.Explains ? "<tr class=\"explains\">" : "<tr>")
                .Append(NumberCell(h.Rank.ToString(CultureInfo.InvariantCulture)))
                .Append("<td>").Append(E(h.Name)).Append("</td>")
                .Append("<td>").Append(E(h.Description)).Append("</td>")
                .Append(NumberCell(ReportText.ErrorRemoved(h.ErrorRemovedPercent)))
                .Append("<td>").Append(ReportText.YesNo(h.Explains)).Append("</td>")
                .Append("<td>").Append(E(h.Detail)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
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

    private static void List(StringBuilder html, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        html.Append("<ul>\n");
        foreach (var item in items)
        {
            html.Append("<li>").Append(E(item)).Append("</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void Empty(StringBuilder html, int count, string text)
    {
        if (count == 0)
        {
            html.Append("<p class=\"empty\">").Append(text).Append("</p>\n");
        }
    }

    private static string Badge(bool passed) =>
        passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>";

    private static string NumberCell(string text) => $"<td class=\"num mono\">{E(text)}</td>";

    private static string TensorId(int index) => $"tensor-{index + 1}";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
