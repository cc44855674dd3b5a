using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Soak;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>`harness soak`'s table (budget used per tensor: median, p99, max over the cases) and its JSON.</summary>
public static class SoakReport
{
    /// <summary>Version of the JSON layout; bumped when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    public static void Write(IAnsiConsole console, SoakResult result)
    {
        var table = new Table().AddColumns("semantics", "tensor", "cases", "median", "p99", "max");
        foreach (var d in result.Distributions)
        {
            table.AddRow(d.Semantics, Markup.Escape(d.Tensor), Count(d.Cases), Fraction(d.Median), Fraction(d.P99), d.Max <= 1 ? Fraction(d.Max) : $"[red]{Fraction(d.Max)}[/]");
        }

        console.Write(table);
        console.WriteLine($"{result.Variant}: {result.Outcomes.Count} cases ({string.Join(", ", result.Shapes)} x {result.Seeds} seeds, shard {result.Shard}); " +
                          $"budget used is kernel error / budget (<= 1 passes); false alarms: {result.FalseAlarms.Count}");
        foreach (var alarm in result.FalseAlarms.Take(10))
        {
            console.WriteLine($"  false alarm: {alarm.Case} {alarm.Tensor} used {Fraction(alarm.BudgetUsed)} of its budget");
        }
    }

    public static JsonObject Json(SoakResult result, string commandLine) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["command"] = commandLine,
        ["variant"] = result.Variant,
        ["shard"] = result.Shard.ToString(),
        ["seeds"] = result.Seeds,
        ["firstSeed"] = SoakCase.FirstSeed,
        ["shapes"] = new JsonArray([.. result.Shapes.Select(s => JsonValue.Create(s))]),
        ["cases"] = result.Outcomes.Count,
        ["falseAlarmCount"] = result.FalseAlarms.Count,
        ["distributions"] = new JsonArray([.. result.Distributions.Select(d => new JsonObject
        {
            ["semantics"] = d.Semantics,
            ["tensor"] = d.Tensor,
            ["cases"] = d.Cases,
            ["median"] = JsonOutput.Number(d.Median),
            ["p99"] = JsonOutput.Number(d.P99),
            ["max"] = JsonOutput.Number(d.Max),
        })]),
        ["falseAlarms"] = new JsonArray([.. result.FalseAlarms.Select(a => new JsonObject
        {
            ["case"] = a.Case,
            ["tensor"] = a.Tensor,
            ["budgetUsed"] = JsonOutput.Number(a.BudgetUsed),
        })]),
        // Every case's budget used per tensor, so that shards can be merged into one distribution.
        ["outcomes"] = new JsonArray([.. result.Outcomes.Select(o => new JsonObject
        {
            ["case"] = o.Case,
            ["scenario"] = o.Scenario,
            ["seed"] = o.Seed,
            ["semantics"] = o.Semantics,
            ["passed"] = o.Passed,
            ["budgetUsed"] = new JsonObject(o.Tensors.Select(t => KeyValuePair.Create(t.Tensor, JsonOutput.Number(t.BudgetUsed)))),
        })]),
    };

    private static string Fraction(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
