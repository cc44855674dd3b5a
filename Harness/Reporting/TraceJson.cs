using System.Text.Json.Nodes;
using Harness.Comparison;

namespace Harness.Reporting;

/// <summary>The trace as a JSON document.</summary>
public static class TraceJson
{
    /// <summary>Version of schemas/trace.schema.json this output follows.</summary>
    public const int SchemaVersion = 1;

    public static JsonObject Of(TraceDocument doc) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["scenario"] = doc.Scenario,
        ["description"] = doc.Description,
        ["shape"] = Shape(doc),
        ["dtype"] = doc.Dtype.ToString().ToLowerInvariant(),
        ["device"] = doc.Device,
        ["settings"] = new JsonArray(doc.Settings.Select(s => (JsonNode?)s).ToArray()),
        ["traces"] = new JsonArray(doc.Traces.Select(t => (JsonNode?)new JsonObject
        {
            ["semantics"] = t.Semantics,
            ["tensors"] = new JsonArray(t.Tensors.Select(x => (JsonNode?)Statistics(x.Name, x.Stats)).ToArray()),
        }).ToArray()),
    };

    public static JsonObject Statistics(string name, TensorStatistics s) => new()
    {
        ["name"] = name,
        ["shape"] = new JsonArray(s.Shape.Select(d => (JsonNode?)d).ToArray()),
        ["dtype"] = s.Dtype.ToString().ToLowerInvariant(),
        ["min"] = JsonOutput.Number(s.Min),
        ["max"] = JsonOutput.Number(s.Max),
        ["mean"] = JsonOutput.Number(s.Mean),
        ["std"] = JsonOutput.Number(s.Std),
        ["nan"] = s.NaNCount,
        ["inf"] = s.InfinityCount,
        ["first10"] = new JsonArray(s.First10.Select(JsonOutput.Number).ToArray()),
    };

    private static JsonObject Shape(TraceDocument doc) => new()
    {
        ["batch"] = doc.Shape.Batch,
        ["sequence"] = doc.Shape.Sequence,
        ["heads"] = doc.Shape.Heads,
        ["headSize"] = doc.Shape.HeadSize,
        ["intermediate"] = doc.Shape.Intermediate,
    };
}
