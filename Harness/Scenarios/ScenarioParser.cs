using System.Text.Json;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Parses scenario JSON strictly: unknown fields, wrong types and out-of-range values are errors naming the JSON path.</summary>
public static class ScenarioParser
{
    private static readonly string[] TopFields =
    [
        "name", "description", "shape", "dtype", "semantics", "seed", "layer", "baseWeights", "checkpoint", "input", "padding",
        "weights", "zeroBiases", "activationOverrides", "accumulationGroup", "tolerances",
        // Where an editor finds the schema (schemas/scenario.schema.json); the harness does not read it.
        "$schema",
    ];

    private static readonly string[] ShapeFields = ["batch", "sequence", "heads", "headSize", "intermediate"];
    private static readonly string[] PatternFields = ["rowStep", "columnStep", "modulus", "offset", "divisor"];

    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names it in errors, <paramref name="baseDirectory"/> anchors its relative paths.</summary>
    /// <param name="documented">
    /// Require the documented `name` and `description` (docs/SCENARIOS.md), as every scenario a user names or gives as a
    /// file must have; fragments built in code (tests) may leave them out.
    /// </param>
    public static Scenario Parse(string json, string source, string? baseDirectory, bool documented = false)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"scenario '{source}': not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            var root = new JsonFields(source, string.Empty, doc.RootElement, TopFields);
            if (documented)
            {
                foreach (var field in new[] { "name", "description" })
                {
                    if (string.IsNullOrWhiteSpace(root.String(field)))
                    {
                        throw root.Fail(field, "is required (docs/SCENARIOS.md): a scenario says what it is and what it cannot detect");
                    }
                }
            }

            var shape = ParseShape(root);
            var dtype = ParseDtype(root);
            var input = ParseInput(root, dtype);
            var validLength = ParsePadding(root, shape);
            if (validLength is not null && input is TextInput)
            {
                throw root.Fail("padding", "cannot be set with a text input: the text's token count sets the padding");
            }

            root.String("$schema"); // only its type matters: a string
            var scenario = new Scenario
            {
                Name = root.String("name") ?? Path.GetFileNameWithoutExtension(source),
                Description = root.String("description") ?? string.Empty,
                Source = source,
                BaseDirectory = baseDirectory,
                Shape = shape,
                Dtype = dtype,
                Semantics = ParseSemantics(root),
                Seed = root.Integer("seed") ?? 1,
                Layer = root.Integer("layer", min: 0) ?? 0,
                BaseWeights = ParseBaseWeights(root),
                Checkpoint = root.String("checkpoint"),
                Input = input,
                ValidLength = validLength,
                WeightOverrides = ParseWeights(root, dtype),
                ZeroBiases = root.Bool("zeroBiases") ?? false,
                ActivationOverrides = ParseActivationOverrides(root),
                AccumulationGroup = root.Integer("accumulationGroup", min: 0),
                Tolerances = ParseTolerances(root),
            };
            if (ScenarioSchema.FirstViolation(doc.RootElement) is { } violation)
            {
                throw new ScenarioException($"scenario '{source}': {violation} ({ScenarioSchema.RepositoryPath})");
            }

            return scenario;
        }
    }

    private static LayerShape ParseShape(JsonFields root)
    {
        var bertBase = LayerShape.BertBase384;
        var s = root.Object("shape", ShapeFields);
        if (s is null)
        {
            return bertBase;
        }

        var shape = new LayerShape(
            s.Integer("batch", min: 1) ?? bertBase.Batch,
            s.Integer("sequence", min: 1) ?? bertBase.Sequence,
            s.Integer("heads", min: 1) ?? bertBase.Heads,
            s.Integer("headSize", min: 1) ?? bertBase.HeadSize,
            s.Integer("intermediate", min: 1) ?? bertBase.Intermediate);
        // Invariant: every tensor of the layer fits one .NET array, so materialising cannot fail half way.
        if (LayerFootprint.TooLarge(shape) is { } reason)
        {
            throw root.Fail("shape", reason);
        }

        return shape;
    }

    private static ElementType ParseDtype(JsonFields root) => ParseNamed(root, "dtype", ElementType.Float16, ElementTypes.Parse);

    private static LayerSemantics ParseSemantics(JsonFields root) => ParseNamed(root, "semantics", LayerSemantics.HuggingFace, LayerSemantics.Preset);

    /// <summary>A string field naming one of a known set: <paramref name="absent"/> without it, the parser's complaint as the field's error.</summary>
    private static T ParseNamed<T>(JsonFields root, string field, T absent, Func<string, T> parse)
    {
        var text = root.String(field);
        if (text is null)
        {
            return absent;
        }

        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            throw root.Fail(field, e.Message);
        }
    }

    private static BaseWeights ParseBaseWeights(JsonFields root) => root.String("baseWeights") switch
    {
        null or "checkpoint-or-synthetic" => BaseWeights.CheckpointOrSynthetic,
        "synthetic" => BaseWeights.Synthetic,
        "checkpoint" => BaseWeights.Checkpoint,
        var other => throw root.Fail("baseWeights", $"must be \"synthetic\", \"checkpoint\" or \"checkpoint-or-synthetic\", got \"{other}\""),
    };

    private static InputSpec ParseInput(JsonFields root, ElementType dtype)
    {
        var raw = root.Raw("input");
        if (raw is null)
        {
            return new GeneratedInput(new RandomValues(1, 1.0));
        }

        var kind = raw.Value.ValueKind == JsonValueKind.Object && raw.Value.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String
            ? k.GetString()!
            : throw root.Fail("input.kind", "is required: one of constant, random, pattern, file, text");
        JsonFields Fields(params string[] names) => root.Object("input", ["kind", .. names])!;
        switch (kind)
        {
            case "constant":
                var c = Fields("value");
                return new GeneratedInput(new ConstantValues(CheckRepresentable(c, "value", c.Required("value", c.Number("value")), dtype)));
            case "random":
                var r = Fields("seed", "std");
                return new GeneratedInput(new RandomValues(r.Required("seed", r.Integer("seed")), r.Required("std", r.NonNegativeNumber("std"))));
            case "pattern":
                return new GeneratedInput(new PatternValues(ParsePattern(Fields(PatternFields))));
            case "file":
                var f = Fields("path", "tensor");
                return new FileInput(f.Required("path", f.String("path")), f.Required("tensor", f.String("tensor")));
            case "text":
                var t = Fields("text");
                var text = t.Required("text", t.String("text"));
                return text.Trim().Length == 0 ? throw t.Fail("input.text", "must not be empty") : new TextInput(text);
            default:
                throw root.Fail("input.kind", $"must be one of constant, random, pattern, file, text; got \"{kind}\"");
        }
    }

    private static IndexPattern ParsePattern(JsonFields p)
    {
        var divisor = p.Required("divisor", p.Number("divisor"));
        if (divisor == 0)
        {
            throw p.Fail(p.PathOf("divisor"), "must not be 0");
        }

        return new IndexPattern(
            p.Required("rowStep", p.Integer("rowStep")),
            p.Required("columnStep", p.Integer("columnStep")),
            p.Required("modulus", p.Integer("modulus", min: 1)),
            p.Required("offset", p.Integer("offset")),
            divisor);
    }

    private static int? ParsePadding(JsonFields root, LayerShape shape)
    {
        var p = root.Object("padding", ["validLength"]);
        return p is null ? null : p.Required("validLength", p.Integer("validLength", min: 1, max: shape.Sequence));
    }

    private static List<WeightOverride> ParseWeights(JsonFields root, ElementType dtype)
    {
        var known = WeightOverride.Groups.Keys.SelectMany(g => new[] { g, g + ".weight", g + ".bias" }).ToArray();
        var w = root.Object("weights", known);
        if (w is null)
        {
            return [];
        }

        var zeroBiases = root.Bool("zeroBiases") ?? false;
        var overrides = new List<WeightOverride>();
        foreach (var key in w.Names)
        {
            if (zeroBiases && key.EndsWith(".bias", StringComparison.Ordinal))
            {
                throw w.Fail(w.PathOf(key), "overrides a bias, but zeroBiases is true and would set it to 0: remove one of the two");
            }

            overrides.Add(new WeightOverride(key, WeightOverride.SuffixesOf(key)!, ParseValueSource(w, key, dtype)));
        }

        return overrides;
    }

    private static ValueSource ParseValueSource(JsonFields parent, string key, ElementType dtype)
    {
        var raw = parent.Raw(key)!.Value;
        if (raw.ValueKind == JsonValueKind.String)
        {
            return raw.GetString() == "checkpoint"
                ? new CheckpointValues()
                : throw parent.Fail(parent.PathOf(key), $"must be \"checkpoint\" or an object {{constant | random | pattern}}, got \"{raw.GetString()}\"");
        }

        var o = parent.Object(key, ["constant", "random", "pattern"])!;
        if (o.Names.Count() != 1)
        {
            throw parent.Fail(parent.PathOf(key), "must hold exactly one of constant, random, pattern");
        }

        if (o.Has("constant"))
        {
            return new ConstantValues(CheckRepresentable(o, "constant", o.Number("constant")!.Value, dtype));
        }

        if (o.Has("random"))
        {
            var r = o.Object("random", ["seed", "std"])!;
            return new RandomValues(r.Required("seed", r.Integer("seed")), r.Required("std", r.NonNegativeNumber("std")));
        }

        return new PatternValues(ParsePattern(o.Object("pattern", PatternFields)!));
    }

    private static double CheckRepresentable(JsonFields o, string name, double value, ElementType dtype) =>
        double.IsFinite(dtype.Round(value)) ? value : throw o.Fail(o.PathOf(name), $"{value} overflows {dtype.DumpName()}");

    private static Dictionary<string, double> ParseActivationOverrides(JsonFields root)
    {
        var a = root.Object("activationOverrides", TensorNames.Produced.ToArray());
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in a?.Names ?? [])
        {
            result[name] = a!.Number(name)!.Value;
        }

        return result;
    }

    private static Dictionary<string, (double Atol, double Rtol)> ParseTolerances(JsonFields root)
    {
        var t = root.Object("tolerances", TensorNames.DataflowOrder.ToArray());
        var result = new Dictionary<string, (double Atol, double Rtol)>(StringComparer.Ordinal);
        foreach (var name in t?.Names ?? [])
        {
            var entry = t!.Object(name, ["atol", "rtol"])!;
            result[name] = (entry.Required("atol", entry.NonNegativeNumber("atol")), entry.Required("rtol", entry.NonNegativeNumber("rtol")));
        }

        return result;
    }
}
