using System.Text;
using static Harness.Reporting.Documents.HtmlBlocks;

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
    public static string Write(ReportModel model, string directory) => ReportOutput.WriteOne(model, directory, Write);

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
        Section(html, "tensors", "Tensors", model.Tensors.Count, "No tensors were compared.", () =>
        {
            for (var i = 0; i < model.Tensors.Count; i++)
            {
                HtmlTensorSection.Write(html, model.Tensors[i], TensorId(i), directory, plots[i]);
            }
        });
        html.Append("</main>\n</body>\n</html>\n");
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
            Table(html, "facts", [], model.RunFacts, fact => LabelledRow(html, fact.Label, fact.Value, mono: false));
        }

        if (model.Tensors.Count > 0)
        {
            Table(html, "verdicts", ["tensor", "verdict", "kind", "max abs", "budget used", "worst element"], model.Tensors.Select((t, i) => (t, i)), x =>
                html.Append(x.t.Passed ? "<tr>" : "<tr class=\"fail\">")
                    .Append("<td><a href=\"#").Append(TensorId(x.i)).Append("\"><code>").Append(E(x.t.Name)).Append("</code></a></td>")
                    .Append("<td>").Append(Badge(x.t.Passed)).Append("</td>")
                    .Append("<td>").Append(E(ReportText.Kind(x.t.Kind))).Append("</td>")
                    .Append(NumberCell(ReportText.Number(x.t.MaxAbs)))
                    .Append(NumberCell(ReportText.BudgetUsed(x.t.BudgetUsed)))
                    .Append("<td class=\"mono\">").Append(E(ReportText.OrDash(x.t.WorstElement))).Append("</td></tr>\n"));
        }

        html.Append("</section>\n");
    }

    private static void Findings(StringBuilder html, ReportModel model) =>
        Section(html, "findings", "Findings", model.Findings.Count, "No findings.", () => List(html, "ol", " class=\"findings\"", model.Findings));

    private static void BlindSpots(StringBuilder html, ReportModel model) =>
        Section(html, "blind-spots", "Blind spots", model.BlindSpots.Count, "None named.", () =>
        {
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
        });

    private static void Comparability(StringBuilder html, ReportModel model) =>
        Section(html, "comparability", "Comparability", model.ComparabilityNotes.Count, "No notes.", () => List(html, model.ComparabilityNotes));

    private static void Stages(StringBuilder html, ReportModel model) =>
        Section(html, "stages", "Stage isolation", model.Stages.Count, "No stage was run in isolation.", () =>
            Table(html, null, ["stage", "outputs", "introduced max abs", "introduced budget used", "inherited max abs", "verdict"], model.Stages, s =>
                html.Append(s.Passed ? "<tr>" : "<tr class=\"fail\">")
                    .Append("<td>").Append(E(s.Stage)).Append("</td>")
                    .Append("<td>").AppendJoin(", ", s.Outputs.Select(o => $"<code>{E(o)}</code>")).Append("</td>")
                    .Append(NumberCell(ReportText.Number(s.IntroducedMaxAbs)))
                    .Append(NumberCell(ReportText.BudgetUsed(s.IntroducedBudgetUsed)))
                    .Append(NumberCell(ReportText.Number(s.InheritedMaxAbs)))
                    .Append("<td>").Append(Badge(s.Passed)).Append(' ').Append(E(s.Verdict)).Append("</td></tr>\n")));

    private static void Invariants(StringBuilder html, ReportModel model) =>
        Section(html, "invariants", "Invariants", model.Invariants.Count, "No invariant was checked.", () =>
            Table(html, null, ["invariant", "tensor", "status", "detail"], model.Invariants, r =>
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
            }));
}
