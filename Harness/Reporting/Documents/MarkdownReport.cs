using System.Text;
using static Harness.Reporting.Documents.MarkdownText;

namespace Harness.Reporting.Documents;

/// <summary>
/// report.md: the run facts and a verdict table first, then findings, blind spots, comparability, stage isolation,
/// invariants, and one section per tensor with its metrics, hypotheses, patterns, dumps and plots (PNG files beside it).
/// </summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    /// <summary>Writes report.md (and the plots it links) into <paramref name="directory"/>; returns report.md's path.</summary>
    public static string Write(ReportModel model, string directory) => ReportOutput.WriteOne(model, directory, Write);

    internal static string Write(ReportModel model, string directory, IReadOnlyList<TensorPlotFiles> plots) =>
        ReportOutput.WriteText(directory, FileName, Render(model, plots));

    private static string Render(ReportModel model, IReadOnlyList<TensorPlotFiles> plots)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Inline(model.Title)).Append(" — ").Append(ReportText.Verdict(model.Passed)).Append("\n\n");
        if (model.Subtitle.Length > 0)
        {
            md.Append(Inline(model.Subtitle)).Append("\n\n");
        }

        Summary(md, model);
        Findings(md, model);
        BlindSpots(md, model);
        Comparability(md, model);
        Stages(md, model);
        Invariants(md, model);
        Section(md, "Tensors", model.Tensors.Count, "No tensors were compared.", () =>
        {
            for (var i = 0; i < model.Tensors.Count; i++)
            {
                Tensor(md, model.Tensors[i], plots[i]);
            }
        });
        return md.ToString();
    }

    private static void Summary(StringBuilder md, ReportModel model)
    {
        md.Append("## Summary\n\n");
        if (model.RunFacts.Count > 0)
        {
            Table(md, ["fact", "value"], model.RunFacts.Select(f => new[] { Inline(f.Label), Inline(f.Value) }));
        }

        md.Append("**").Append(ReportText.Verdict(model.Passed)).Append("**: ").Append(Inline(ReportText.Tally(model))).Append(".\n\n");
        if (model.Tensors.Count > 0)
        {
            Table(
                md,
                ["tensor", "verdict", "kind", "max abs", "budget used", "worst element"],
                model.Tensors.Select(t => new[]
                {
                    Code(t.Name), ReportText.Verdict(t.Passed), ReportText.Kind(t.Kind), ReportText.Number(t.MaxAbs),
                    ReportText.BudgetUsed(t.BudgetUsed), Inline(ReportText.OrDash(t.WorstElement)),
                }));
        }
    }

    private static void Findings(StringBuilder md, ReportModel model) =>
        Section(md, "Findings", model.Findings.Count, "No findings.", () =>
        {
            for (var i = 0; i < model.Findings.Count; i++)
            {
                md.Append(i + 1).Append(". ").Append(Inline(model.Findings[i])).Append('\n');
            }

            md.Append('\n');
        });

    private static void BlindSpots(StringBuilder md, ReportModel model) =>
        Section(md, "Blind spots", model.BlindSpots.Count, "None named.", () =>
        {
            foreach (var spot in model.BlindSpots)
            {
                md.Append("### ").Append(Inline(spot.Title)).Append("\n\n").Append(Inline(spot.Description)).Append("\n\n");
                if (spot.HiddenDefects.Count > 0)
                {
                    md.Append("Defects this could hide:\n\n");
                    Bullets(md, spot.HiddenDefects);
                }
            }
        });

    private static void Comparability(StringBuilder md, ReportModel model) =>
        Section(md, "Comparability", model.ComparabilityNotes.Count, "No notes.", () => Bullets(md, model.ComparabilityNotes));

    private static void Stages(StringBuilder md, ReportModel model) =>
        Section(md, "Stage isolation", model.Stages.Count, "No stage was run in isolation.", () => Table(
            md,
            ["stage", "outputs", "introduced max abs", "introduced budget used", "inherited max abs", "verdict"],
            model.Stages.Select(s => new[]
            {
                Inline(s.Stage), string.Join(", ", s.Outputs.Select(Code)), ReportText.Number(s.IntroducedMaxAbs),
                ReportText.BudgetUsed(s.IntroducedBudgetUsed), ReportText.Number(s.InheritedMaxAbs),
                $"{ReportText.Verdict(s.Passed)}: {Inline(s.Verdict)}",
            })));

    private static void Invariants(StringBuilder md, ReportModel model) =>
        Section(md, "Invariants", model.Invariants.Count, "No invariant was checked.", () => Table(
            md,
            ["invariant", "tensor", "status", "detail"],
            model.Invariants.Select(r => new[] { Inline(r.Name), Code(r.Tensor), ReportText.Status(r.Status), Inline(r.Detail) })));

    /// <summary>A level-2 section: its body, or a line saying it is empty when <paramref name="count"/> is 0.</summary>
    private static void Section(StringBuilder md, string title, int count, string emptyText, Action body)
    {
        md.Append("## ").Append(title).Append("\n\n");
        if (count == 0)
        {
            md.Append(emptyText).Append("\n\n");
            return;
        }

        body();
    }

    private static void Tensor(StringBuilder md, TensorSection tensor, TensorPlotFiles plots)
    {
        md.Append("### ").Append(Code(tensor.Name)).Append(" — ").Append(ReportText.Verdict(tensor.Passed));
        if (!tensor.Passed)
        {
            md.Append(" (").Append(ReportText.Kind(tensor.Kind)).Append(')');
        }

        md.Append("\n\n");
        if (tensor.VerdictLine.Length > 0)
        {
            md.Append(Block(tensor.VerdictLine)).Append('\n');
        }

        if (tensor.Metrics.Count > 0)
        {
            Table(md, ["metric", "value"], tensor.Metrics.Select(m => new[] { Inline(m.Label), Inline(m.Value) }));
        }

        if (tensor.Hypotheses.Count > 0)
        {
            md.Append("#### Hypotheses\n\n");
            Table(
                md,
                ["rank", "hypothesis", "description", "error removed", "explains", "detail"],
                tensor.Hypotheses.Select(h => new[]
                {
                    h.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), Inline(h.Name), Inline(h.Description),
                    ReportText.ErrorRemoved(h.ErrorRemovedPercent), ReportText.YesNo(h.Explains), Inline(h.Detail),
                }));
        }

        if (tensor.PatternFindings.Count > 0)
        {
            md.Append("#### Where the errors are\n\n");
            Bullets(md, tensor.PatternFindings);
        }

        if (plots.Heatmap is not null || plots.Histogram is not null)
        {
            md.Append("#### Plots\n\n");
            Image(md, plots.Heatmap, $"{tensor.Name} |error| heatmap");
            Image(md, plots.Histogram, $"{tensor.Name} log10 |error| histogram");
        }

        Dump(md, "Side by side", tensor.SideBySide);
        Dump(md, "Reference", tensor.ReferenceDump);
        Dump(md, "Kernel", tensor.KernelDump);
    }

    private static void Image(StringBuilder md, string? file, string alt)
    {
        if (file is not null)
        {
            // File names come from ReportPlots' slug (letters, digits, '.', '-', '_'), so they need no URL escaping.
            md.Append("![").Append(Inline(alt)).Append("](").Append(file).Append(")\n\n");
        }
    }

    private static void Dump(StringBuilder md, string heading, string text)
    {
        if (text.Length > 0)
        {
            md.Append("#### ").Append(heading).Append("\n\n").Append(Block(text)).Append('\n');
        }
    }

    private static void Bullets(StringBuilder md, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            md.Append("- ").Append(Inline(line)).Append('\n');
        }

        md.Append('\n');
    }

    private static void Table(StringBuilder md, string[] headers, IEnumerable<string[]> rows)
    {
        md.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        md.Append('|').AppendJoin('|', headers.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        md.Append('\n');
    }
}
