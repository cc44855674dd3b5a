using System.Text.Json.Nodes;

namespace Harness.History;

/// <summary>
/// A history entry made from a nightly run's JSON documents: `verify --json` files (every tensor's budgetUsed) and a
/// `bench --json` file (every timed row's median per run). Documents are given as parsed JSON with their names.
/// </summary>
public static class EntryBuilder
{
    public static HistoryEntry Build(string date, string label, IEnumerable<(string Name, JsonNode Document)> verifications, (string Name, JsonNode Document)? bench)
    {
        var budgets = new List<BudgetPoint>();
        foreach (var (name, document) in verifications)
        {
            var o = document as JsonObject ?? throw new InvalidDataException($"{name} is not a verify --json document");
            var tensors = o["tensors"] as JsonArray ?? throw new InvalidDataException($"{name} has no 'tensors' array (not a verify --json document)");
            foreach (var t in tensors.OfType<JsonObject>())
            {
                budgets.Add(new BudgetPoint(
                    Text(o, "variant", name),
                    o["against"]?.GetValue<string>(),
                    Text(o, "scenario", name),
                    Text(o, "shape", name),
                    Text(o, "referenceSemantics", name),
                    Text(t, "name", name),
                    Number(t["budgetUsed"], name)));
            }
        }

        var rows = new List<BenchPoint>();
        if (bench is { } b)
        {
            var (benchName, benchDocument) = b;
            var variants = benchDocument["variants"] as JsonArray ?? throw new InvalidDataException($"{benchName} has no 'variants' array (not a bench --json document)");
            foreach (var row in variants.OfType<JsonObject>())
            {
                if (row["perRunMicroseconds"] is JsonObject timing && row["shape"] is JsonObject shape)
                {
                    var text = $"B={shape["batch"]} S={shape["sequence"]} H={shape["heads"]} D={shape["headSize"]} F={shape["intermediate"]}";
                    rows.Add(new BenchPoint(Text(row, "variant", benchName), text, Number(timing["median"], benchName)));
                }
            }
        }

        return new HistoryEntry(date, label, budgets, rows);
    }

    private static string Text(JsonObject o, string field, string name) => o[field] is JsonValue v && v.TryGetValue<string>(out var s)
        ? s
        : throw new InvalidDataException($"{name}: '{field}' is missing or not a string");

    private static double Number(JsonNode? node, string name) => node switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new InvalidDataException($"{name}: a budgetUsed or median is not a number"),
    };
}
