using System.Globalization;
using System.Text;
using Harness.Comparison;
using Harness.Diagnosis;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>A statistics log's verdicts and diagnosis as Markdown: printed to the console by `verify --stats-log` and written as report.md.</summary>
public static class StatsLogText
{
    public static string Render(StatsDiagnosis d)
    {
        var v = d.Verification;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Statistics log {v.Source} on {v.ScenarioName}\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"{v.Shape}, kernel dtype {v.KernelDtype.ToString().ToLowerInvariant()} (from the log), judged against the {v.ReferenceSemantics.Name} reference " +
            $"(accumulation {v.ReferenceSemantics.Accumulation}). Verdict: **{(v.Passed ? "PASS" : "FAIL")}**" +
            $"{(v.FirstFailing is { } f ? $", first divergence at **{f.Name}**" : string.Empty)}.\n\n");
        text.Append("Min and max are allowed the element budget A, mean and std the RMSE budget R, each first value A, each widened by the printed resolution (derivation: docs/DUMPS.md).\n\n");
        text.Append("| tensor | line | verdict | worst statistic | logged | reference | allowed | used |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var t in v.Verdicts)
        {
            var w = t.Worst;
            var verdict = !t.Comparable ? "not comparable" : t.Passed ? "pass" : "FAIL";
            text.Append(CultureInfo.InvariantCulture,
                $"| {t.Name} | {t.Logged.Line} | {verdict} | {w?.Statistic ?? "-"} | {Num(w?.Logged)} | {Num(w?.Reference)} | {Num(w?.Allowed)} | {(w is null ? "-" : Fraction(w.Used))} |\n");
        }

        if (v.Operands.Count > 0)
        {
            text.Append("\n## Logged input and parameters\n\n");
            foreach (var o in v.Operands)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {o.Name} (line {o.Logged.Line}): {(o.Agrees ? "the scenario's" : "NOT the scenario's: " + o.Disagreement)}\n");
            }
        }

        text.Append("\n## Findings\n\n");
        foreach (var line in StatsFindingText.Lines(d.Findings))
        {
            text.Append("- ").Append(line).Append('\n');
        }

        foreach (var s in d.Stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Stage {s.Stage}: {string.Join(", ", s.FailingTensors)} fail\n\n");
            text.Append("Upstream: ").Append(string.Join("; ", s.Upstream)).Append(".\n\n");
            if (!s.Isolable)
            {
                text.Append("Not isolable from statistics: no hypothesis tried.\n");
                continue;
            }

            text.Append(s.IntroducesError == true ? "The reference stage on this upstream misses the log: the stage introduces error.\n\n" : "The reference stage on this upstream matches the log: inherited error.\n\n");
            text.Append("| hypothesis | explains | used |\n|---|---|---|\n");
            foreach (var h in s.Hypotheses.Take(12))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {h.Name} | {(h.Explains ? "yes" : "no")} | {Fraction(h.BudgetUsed)} |\n");
            }

            foreach (var u in s.Unshowable)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nCannot be shown: {u.Name}: {HypothesisText.Unshowable(u.Reason)}\n");
            }
        }

        text.Append("\n## Blind spots\n\nOf statistics:\n\n");
        foreach (var b in d.StatisticsBlindSpots)
        {
            text.Append("- ").Append(b).Append('\n');
        }

        if (d.BlindSpots.Count > 0)
        {
            text.Append("\nOf the scenario:\n\n");
            foreach (var b in d.BlindSpots)
            {
                text.Append("- ").Append(BlindSpotText.Description(b)).Append('\n');
            }
        }

        if (v.UnknownNames.Count > 0)
        {
            text.Append("\nNot judged (no map knows these names): ").Append(string.Join(", ", v.UnknownNames)).Append('\n');
        }

        return text.ToString();
    }

    private static string Num(double? x) => x is { } value ? Number(value) : "-";
}
