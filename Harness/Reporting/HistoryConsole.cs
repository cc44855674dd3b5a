using System.Globalization;
using Harness.History;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>`harness history`'s output: what the entry holds, and each regression against the last entry.</summary>
public static class HistoryConsole
{
    public static void Write(IAnsiConsole console, HistoryEntry entry, RegressionReport report)
    {
        console.WriteLine($"this run: {entry.Budgets.Count} tensor budgets, {entry.Bench.Count} bench medians");
        if (report.Last is null)
        {
            console.WriteLine("no earlier entry: nothing to compare with");
            return;
        }

        console.WriteLine($"compared with the entry of {report.Last.Date} {report.Last.Label}".TrimEnd() +
                          $" ({report.New.Count} new, {report.Gone.Count} gone)");
        if (!report.Regressed)
        {
            console.WriteLine($"no regression (budget use within {RegressionCheck.BudgetGrowth}x, bench medians within {(RegressionCheck.BenchGrowth - 1) * 100:0}%)");
            return;
        }

        var table = new Table().AddColumns("regression", "what", "before", "now", "ratio");
        foreach (var r in report.Regressions)
        {
            table.AddRow(r.Kind, Markup.Escape(r.Key), Number(r.Before), Number(r.Now), Number(r.Ratio));
        }

        console.Write(table);
        console.WriteLine($"REGRESSION: {report.Regressions.Count}");
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
