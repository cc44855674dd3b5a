using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Comparison;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The benchmark table and its JSON form.</summary>
public static class BenchConsole
{
    public static void Write(IAnsiConsole console, string scenario, IReadOnlyList<BenchResult> results)
    {
        var table = new Table().AddColumns("variant", "semantics", "shape", "runs", "median µs", "min µs", "max µs", "TFLOP/s");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Variant),
                r.Semantics,
                Markup.Escape(r.Shape.ToString()),
                r.Iterations.ToString(CultureInfo.InvariantCulture),
                r.SkippedBecause is null ? F(r.MedianMicroseconds) : Markup.Escape($"skipped: {r.SkippedBecause}"),
                F(r.MinMicroseconds),
                F(r.MaxMicroseconds),
                double.IsNaN(r.TeraflopsPerSecond) ? "-" : r.TeraflopsPerSecond.ToString("F3", CultureInfo.InvariantCulture));
        }

        console.MarkupLine($"bench on scenario [bold]{Markup.Escape(scenario)}[/] (time of bk_run alone; outputs re-poisoned outside the timed region)");
        console.Write(table);
    }

    public static JsonObject Json(string scenario, IReadOnlyList<BenchResult> results) => new()
    {
        ["scenario"] = scenario,
        ["results"] = new JsonArray(results.Select(r => (JsonNode?)new JsonObject
        {
            ["variant"] = r.Variant,
            ["semantics"] = r.Semantics,
            ["shape"] = r.Shape.ToString(),
            ["iterations"] = r.Iterations,
            ["medianMicroseconds"] = JsonOutput.Number(r.MedianMicroseconds),
            ["minMicroseconds"] = JsonOutput.Number(r.MinMicroseconds),
            ["maxMicroseconds"] = JsonOutput.Number(r.MaxMicroseconds),
            ["teraflopsPerSecond"] = JsonOutput.Number(r.TeraflopsPerSecond),
            ["skippedBecause"] = r.SkippedBecause,
        }).ToArray()),
    };

    private static string F(double us) => double.IsNaN(us) ? "-" : us.ToString("F1", CultureInfo.InvariantCulture);
}
