using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>
/// Strict access to one JSON object of a scenario: unknown or repeated fields are errors, every accessor checks the
/// type, and every error names the scenario and the JSON path (e.g. "weights.query.constant").
/// </summary>
internal sealed class JsonFields
{
    private readonly string source;
    private readonly string path;
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);

    public JsonFields(string source, string path, JsonElement element, IReadOnlyCollection<string> known)
    {
        this.source = source;
        this.path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path.Length == 0 ? "the top level" : path, $"must be an object, got {Describe(element)}");
        }

        foreach (var p in element.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                throw new ScenarioException($"scenario '{source}': unknown field '{Join(path, p.Name)}'{Harness.Model.Suggestions.DidYouMean(p.Name, known)} (known here: {string.Join(", ", known)})");
            }

            if (!fields.TryAdd(p.Name, p.Value))
            {
                throw new ScenarioException($"scenario '{source}': field '{Join(path, p.Name)}' appears twice");
            }
        }
    }

    public IEnumerable<string> Names => fields.Keys;

    public bool Has(string name) => fields.ContainsKey(name);

    public string PathOf(string name) => Join(path, name);

    public JsonElement? Raw(string name) => fields.TryGetValue(name, out var v) ? v : null;

    public string? String(string name)
    {
        if (!fields.TryGetValue(name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Fail(PathOf(name), $"must be a string, got {Describe(v)}");
    }

    public double? Number(string name)
    {
        if (!fields.TryGetValue(name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Fail(PathOf(name), $"must be a number, got {Describe(v)}");
    }

    public double? NonNegativeNumber(string name)
    {
        var d = Number(name);
        return d < 0 ? throw Fail(PathOf(name), $"must be ≥ 0, got {d}") : d;
    }

    public int? Integer(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!fields.TryGetValue(name, out var v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            throw Fail(PathOf(name), $"must be an integer, got {Describe(v)}");
        }

        if (i < min || i > max)
        {
            var range = max == int.MaxValue ? $"≥ {min}" : $"between {min} and {max}";
            throw Fail(PathOf(name), $"must be {range}, got {i}");
        }

        return i;
    }

    public bool? Bool(string name)
    {
        if (!fields.TryGetValue(name, out var v))
        {
            return null;
        }

        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Fail(PathOf(name), $"must be true or false, got {Describe(v)}");
    }

    public JsonFields? Object(string name, IReadOnlyCollection<string> known) =>
        fields.TryGetValue(name, out var v) ? new JsonFields(source, PathOf(name), v, known) : null;

    public T Required<T>(string name, T? value)
        where T : struct => value ?? throw Fail(PathOf(name), "is required");

    public string Required(string name, string? value) => value ?? throw Fail(PathOf(name), "is required");

    public ScenarioException Fail(string at, string message) => new($"scenario '{source}': {at} {message}");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{v.GetString()}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => v.ValueKind.ToString(),
    };
}
