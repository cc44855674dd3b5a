using System.Globalization;
using System.Text.Json.Nodes;

namespace Harness.Soak;

/// <summary>
/// Soak JSON documents of the shards of one soak (same variant, seeds and shapes; shards 1..n of n, each once)
/// combined into one <see cref="SoakResult"/>: the outcomes of every shard, so distributions are recomputed over all.
/// </summary>
public static class SoakShards
{
    public static SoakResult Merge(IReadOnlyList<(string Name, JsonNode Document)> shards)
    {
        if (shards.Count == 0)
        {
            throw new ArgumentException("merge needs at least one soak JSON file");
        }

        var first = Read(shards[0]);
        var specs = new List<ShardSpec>();
        var outcomes = new List<SoakOutcome>();
        foreach (var shard in shards)
        {
            var s = Read(shard);
            if (s.Variant != first.Variant || s.Seeds != first.Seeds || !s.Shapes.SequenceEqual(first.Shapes))
            {
                throw new InvalidDataException($"{shard.Name} is a soak of {s.Variant} ({s.Seeds} seeds over {string.Join(",", s.Shapes)}), not of {first.Variant} ({first.Seeds} seeds over {string.Join(",", first.Shapes)})");
            }

            specs.Add(s.Shard);
            outcomes.AddRange(s.Outcomes);
        }

        var count = specs[0].Count;
        var indices = specs.Select(s => s.Index).Order().ToList();
        if (specs.Any(s => s.Count != count) || !indices.SequenceEqual(Enumerable.Range(1, count)))
        {
            throw new InvalidDataException($"the files hold shards {string.Join(", ", specs)}; a merge needs each of 1/{count} .. {count}/{count} exactly once");
        }

        return new SoakResult(first.Variant, ShardSpec.Whole, first.Seeds, first.Shapes, outcomes);
    }

    private static SoakResult Read((string Name, JsonNode Document) file)
    {
        var (name, document) = file;
        try
        {
            var o = (JsonObject)document;
            if (o["schemaVersion"]!.GetValue<int>() != 1)
            {
                throw new InvalidDataException($"{name}: schemaVersion {o["schemaVersion"]}, not 1");
            }

            var outcomes = ((JsonArray)o["outcomes"]!).Select(x => (JsonObject)x!).Select(x => new SoakOutcome(
                x["case"]!.GetValue<string>(),
                x["scenario"]!.GetValue<string>(),
                x["seed"]!.GetValue<int>(),
                x["semantics"]!.GetValue<string>(),
                x["passed"]!.GetValue<bool>(),
                ((JsonObject)x["budgetUsed"]!).Select(kv => (kv.Key, Number(kv.Value))).ToList())).ToList();
            return new SoakResult(
                o["variant"]!.GetValue<string>(),
                ShardSpec.Parse(o["shard"]!.GetValue<string>()),
                o["seeds"]!.GetValue<int>(),
                [.. ((JsonArray)o["shapes"]!).Select(s => s!.GetValue<string>())],
                outcomes);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"{name} is not a soak --json document ({e.Message})", e);
        }
    }

    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d)
        ? d
        : double.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
