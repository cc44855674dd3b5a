using System.Text.Json.Nodes;
using Harness.Diagnosis;

namespace Harness.Reporting;

/// <summary>A whole diagnosis as JSON, for machines: the verification's metrics plus everything the report shows.</summary>
public static class DiagnosisJson
{
    /// <summary>Version of schemas/report.schema.json this output follows.</summary>
    public const int SchemaVersion = 1;

    public static JsonObject Of(LayerDiagnosis d, IReadOnlyList<string> comparabilityNotes) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["verification"] = VerificationJson.Of(d.Verification),
        ["origin"] = d.Origin,
        ["findings"] = Strings(FindingText.Lines(d.Findings)),
        ["comparability"] = Strings(comparabilityNotes),
        ["tensors"] = Array(d.Tensors.Select(t => new JsonObject
        {
            ["name"] = t.Name,
            ["kind"] = t.Kind.ToString(),
            ["passed"] = t.Verdict.Passed,
            ["introducedMaxAbs"] = t.Isolation is { } i ? JsonOutput.Number(i.Introduced.Comparison.MaxAbs) : null,
            ["introducedBudgetUsed"] = t.Isolation is { } ib ? JsonOutput.Number(ib.Introduced.BudgetUsed) : null,
            ["inheritedMaxAbs"] = t.Isolation is { } ih ? JsonOutput.Number(ih.Inherited.MaxAbs) : null,
            ["hypotheses"] = Array((t.Hypotheses?.Ranked ?? []).Select(h => new JsonObject
            {
                ["name"] = h.Name,
                ["description"] = HypothesisText.Description(h.Description),
                ["fractionRemoved"] = JsonOutput.Number(h.FractionRemoved),
                ["explains"] = h.Explains,
                ["departures"] = Strings(HypothesisText.Departures(h.Departures)),
            })),
            ["patterns"] = Strings(d.Patterns.TryGetValue(t.Name, out var p) ? PatternText.Lines(p.Findings) : []),
        })),
        ["stages"] = Array(d.Isolation.Select(s => new JsonObject
        {
            ["stage"] = s.Stage.Name,
            ["segment"] = SegmentText.Description(s.Segment),
            ["introducesError"] = s.IntroducesError,
        })),
        ["accumulationFit"] = Array(d.Accumulation.Select(c => new JsonObject
        {
            ["model"] = c.Model.ToString(),
            ["maxAbs"] = JsonOutput.Number(c.AgainstKernel.MaxAbs),
            ["exact"] = c.Exact,
        })),
        ["unshowable"] = Array(d.Unshowable.Select(u => new JsonObject { ["name"] = u.Name, ["reason"] = HypothesisText.Unshowable(u.Reason) })),
        ["invariants"] = Array(d.Invariants.Select(i => new JsonObject
        {
            ["name"] = i.Name,
            ["tensor"] = i.TensorName,
            ["status"] = i.Status.ToString(),
            ["detail"] = InvariantText.Detail(i.Detail),
        })),
        ["blindSpots"] = Array(d.BlindSpots.Select(b => new JsonObject
        {
            ["code"] = b.Code,
            ["description"] = BlindSpotText.Description(b),
            ["hiddenDefects"] = Strings(HiddenDefectText.Lines(b.HiddenDefects)),
            ["affectedTensors"] = Strings(b.AffectedTensors),
        })),
    };

    private static JsonArray Strings(IEnumerable<string> lines) => new(lines.Select(l => (JsonNode?)l).ToArray());

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
