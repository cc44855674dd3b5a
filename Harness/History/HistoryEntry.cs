using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.History;

/// <summary>One tensor's budget used in one verification of a nightly run (the key is everything but the value).</summary>
public sealed record BudgetPoint(string Variant, string? Against, string Scenario, string Shape, string Semantics, string Tensor, double BudgetUsed)
{
    public string Key => $"{Variant}{(Against is null ? string.Empty : " vs " + Against)} {Scenario} [{Shape}] @{Semantics} {Tensor}";
}

/// <summary>One bench row's median time per run (µs) in a nightly run.</summary>
public sealed record BenchPoint(string Variant, string Shape, double MedianMicroseconds)
{
    public string Key => $"{Variant} [{Shape}]";
}

/// <summary>
/// One line of the nightly history file (JSON lines): when, a label (e.g. the commit), every tensor's budget used
/// and every bench median. <see cref="ToJsonLine"/> and <see cref="Parse"/> are each other's inverse.
/// </summary>
public sealed record HistoryEntry(string Date, string Label, IReadOnlyList<BudgetPoint> Budgets, IReadOnlyList<BenchPoint> Bench)
{
    public const int SchemaVersion = 1;

    public string ToJsonLine() => new JsonObject
    {
        ["schemaVersion"] = SchemaVersion,
        ["date"] = Date,
        ["label"] = Label,
        ["budgets"] = new JsonArray([.. Budgets.Select(b => new JsonObject
        {
            ["variant"] = b.Variant,
            ["against"] = b.Against,
            ["scenario"] = b.Scenario,
            ["shape"] = b.Shape,
            ["semantics"] = b.Semantics,
            ["tensor"] = b.Tensor,
            ["budgetUsed"] = Number(b.BudgetUsed),
        })]),
        ["bench"] = new JsonArray([.. Bench.Select(b => new JsonObject
        {
            ["variant"] = b.Variant,
            ["shape"] = b.Shape,
            ["medianMicroseconds"] = Number(b.MedianMicroseconds),
        })]),
    }.ToJsonString();

    /// <summary>Reads one history line; anything that is not such an entry is an <see cref="InvalidDataException"/> saying what.</summary>
    public static HistoryEntry Parse(string line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON ({e.Message.Split('.')[0]})", e);
        }

        if (node is not JsonObject o)
        {
            throw new InvalidDataException("not a JSON object");
        }

        var version = Integer(o, "schemaVersion");
        if (version != SchemaVersion)
        {
            throw new InvalidDataException($"schemaVersion {version}, this harness reads {SchemaVersion}");
        }

        var budgets = Array(o, "budgets").Select(b => new BudgetPoint(
            Text(b, "variant"), OptionalText(b, "against"), Text(b, "scenario"), Text(b, "shape"), Text(b, "semantics"), Text(b, "tensor"), Value(b, "budgetUsed"))).ToList();
        var bench = Array(o, "bench").Select(b => new BenchPoint(Text(b, "variant"), Text(b, "shape"), Value(b, "medianMicroseconds"))).ToList();
        return new HistoryEntry(Text(o, "date"), Text(o, "label"), budgets, bench);
    }

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static IEnumerable<JsonObject> Array(JsonObject o, string name) => o[name] is JsonArray a
        ? a.Select(x => x as JsonObject ?? throw new InvalidDataException($"'{name}' holds something that is not an object"))
        : throw new InvalidDataException($"'{name}' is missing or not an array");

    private static string Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s)
        ? s
        : throw new InvalidDataException($"'{name}' is missing or not a string");

    private static string? OptionalText(JsonObject o, string name) => o[name] is null ? null : Text(o, name);

    private static int Integer(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<int>(out var i)
        ? i
        : throw new InvalidDataException($"'{name}' is missing or not a whole number");

    /// <summary>A number, or "Infinity"/"NaN" as the harness writes non-finite values.</summary>
    private static double Value(JsonObject o, string name) => o[name] switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new InvalidDataException($"'{name}' is missing or not a number"),
    };
}
