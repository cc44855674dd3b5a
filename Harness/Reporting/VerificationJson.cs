using System.Text.Json.Nodes;
using Harness.Comparison;

namespace Harness.Reporting;

/// <summary>A verification as JSON: every metric of every compared tensor.</summary>
public static class VerificationJson
{
    /// <summary>Version of schemas/verify.schema.json this output follows; raised when a field changes meaning or goes.</summary>
    public const int SchemaVersion = 1;

    public static JsonObject Of(LayerVerification v) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["variant"] = v.Variant,
        ["against"] = v.AgainstVariant,
        ["scenario"] = v.ScenarioName,
        ["shape"] = v.Shape.ToString(),
        ["kernelSemantics"] = v.KernelSemantics,
        ["referenceSemantics"] = v.ReferenceSemantics.Name,
        ["referenceAccumulation"] = v.ReferenceSemantics.Accumulation.ToString(),
        ["kernelDtype"] = v.KernelDtype.ToString().ToLowerInvariant(),
        ["accumulationGroup"] = v.AccumulationGroup,
        ["kernelMilliseconds"] = v.KernelElapsed?.TotalMilliseconds,
        ["passed"] = v.Passed,
        ["firstFailing"] = v.Comparison.FirstFailing?.Name,
        ["fault"] = v.Fault is { } f
            ? new JsonObject { ["kind"] = f.Kind.ToString(), ["code"] = f.Code, ["detail"] = f.Detail, ["message"] = KernelFaultText.Describe(f, v.ScenarioName, v.KernelSemantics) }
            : null,
        ["reruns"] = v.Determinism is { } d
            ? new JsonObject
            {
                ["runs"] = d.Runs,
                ["declaredNondeterministic"] = d.DeclaredNondeterministic,
                ["race"] = d.IsRace,
                ["moved"] = new JsonArray(d.Moved.Select(m => (JsonNode?)new JsonObject
                {
                    ["tensor"] = m.Tensor,
                    ["count"] = m.Count,
                    ["worstIndex"] = new JsonArray(m.WorstIndex.Select(i => (JsonNode?)i).ToArray()),
                    ["worstMin"] = m.WorstSawNaN ? null : m.WorstMin,
                    ["worstMax"] = m.WorstSawNaN ? null : m.WorstMax,
                    ["worstSawNaN"] = m.WorstSawNaN,
                    ["firstRun"] = m.FirstRun,
                }).ToArray()),
            }
            : null,
        ["tensors"] = new JsonArray(v.Comparison.Verdicts.Select(t => (JsonNode?)Verdict(t)).ToArray()),
    };

    public static JsonObject Verdict(TensorVerdict t)
    {
        var c = t.Comparison;
        return new JsonObject
        {
            ["name"] = t.Name,
            ["passed"] = t.Passed,
            ["reason"] = t.Reason,
            ["maxAbs"] = JsonOutput.Number(c.MaxAbs),
            ["maxRel"] = JsonOutput.Number(c.MaxRel),
            ["meanAbs"] = JsonOutput.Number(c.MeanAbs),
            ["rmse"] = JsonOutput.Number(c.Rmse),
            ["relativeL2"] = JsonOutput.Number(c.RelativeL2),
            ["cosine"] = JsonOutput.Number(c.Cosine),
            ["mismatchCount"] = c.MismatchCount,
            ["mismatchPercent"] = JsonOutput.Number(c.MismatchPercent),
            ["maxUlpFp16"] = c.MaxUlpFp16,
            ["maxUlpFp32"] = c.MaxUlpFp32,
            ["worstIndex"] = c.Worst is { } w ? new JsonArray(w.Index.Select(i => (JsonNode?)i).ToArray()) : null,
            ["worstKernel"] = c.Worst is { } wk ? JsonOutput.Number(wk.Actual) : null,
            ["worstTruth"] = c.Worst is { } wt ? JsonOutput.Number(wt.Expected) : null,
            ["minimalPassingAtol"] = JsonOutput.Number(c.MinimalPassingAtol),
            ["minimalPassingRtol"] = JsonOutput.Number(c.MinimalPassingRtol),
            ["referenceMaxAbs"] = JsonOutput.Number(t.ReferenceError.MaxAbs),
            ["referenceRmse"] = JsonOutput.Number(t.ReferenceError.Rmse),
            ["step"] = JsonOutput.Number(t.Step),
            ["maxAbsBudget"] = JsonOutput.Number(t.MaxAbsBudget),
            ["rmseBudget"] = JsonOutput.Number(t.RmseBudget),
            ["budgetUsed"] = JsonOutput.Number(t.BudgetUsed),
            ["kernel"] = TraceJson.Statistics(t.Name, c.ActualStats),
            ["truth"] = TraceJson.Statistics(t.Name, c.ExpectedStats),
        };
    }
}
