using System.Text.Json.Nodes;
using Harness.Diagnosis;
using static Harness.Reporting.JsonOutput;

namespace Harness.Reporting;

/// <summary>A statistics log's verdicts, every check, and its diagnosis as JSON.</summary>
public static class StatsLogJson
{
    /// <summary>Version of schemas/stats-log.schema.json this output follows.</summary>
    public const int SchemaVersion = 1;

    public static JsonObject Of(StatsDiagnosis d)
    {
        var v = d.Verification;
        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["log"] = v.Source,
            ["scenario"] = v.ScenarioName,
            ["shape"] = v.Shape.ToString(),
            ["kernelDtype"] = v.KernelDtype.ToString().ToLowerInvariant(),
            ["referenceSemantics"] = v.ReferenceSemantics.Name,
            ["passed"] = v.Passed,
            ["firstDivergence"] = d.FirstDivergence,
            ["tensors"] = new JsonArray(v.Verdicts.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["logName"] = t.Logged.Name,
                ["line"] = t.Logged.Line,
                ["comparable"] = t.Comparable,
                ["notComparable"] = t.NotComparable,
                ["passed"] = t.Passed,
                ["budgetUsed"] = Number(t.BudgetUsed),
                ["checks"] = new JsonArray(t.Checks.Select(c => (JsonNode)new JsonObject
                {
                    ["statistic"] = c.Statistic,
                    ["logged"] = Number(c.Logged),
                    ["reference"] = Number(c.Reference),
                    ["allowed"] = Number(c.Allowed),
                    ["passed"] = c.Passed,
                }).ToArray()),
            }).ToArray()),
            ["operands"] = new JsonArray(v.Operands.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["agrees"] = o.Agrees, ["reason"] = o.Disagreement }).ToArray()),
            ["stages"] = new JsonArray(d.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Stage,
                ["failing"] = new JsonArray(s.FailingTensors.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
                ["isolable"] = s.Isolable,
                ["introducesError"] = s.IntroducesError,
                ["upstream"] = new JsonArray(s.Upstream.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
                ["hypotheses"] = new JsonArray(s.Hypotheses.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["explains"] = h.Explains, ["budgetUsed"] = Number(h.BudgetUsed) }).ToArray()),
            }).ToArray()),
            ["findings"] = new JsonArray(StatsFindingText.Lines(d.Findings).Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["unknownNames"] = new JsonArray(v.UnknownNames.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
        };
    }
}
