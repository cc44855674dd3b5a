using System.Globalization;
using Harness.Diagnosis;

namespace Harness.Reporting;

/// <summary>The words of a layer diagnosis's findings: one line each, the same for the console, Markdown, HTML and JSON.</summary>
public static class FindingText
{
    public static IReadOnlyList<string> Lines(IEnumerable<LayerFinding> findings) => findings.Select(Line).ToList();

    public static string Line(LayerFinding finding) => finding switch
    {
        NothingToDiagnose n => $"{n.Variant}: every tensor within budget against {n.ReferenceSemantics}; nothing to diagnose",
        FirstDivergence f => $"{f.Variant} vs {f.ReferenceSemantics} ({f.Scenario}): first divergence at {f.Tensor}",
        ErrorEntersStage s => Stage(s),
        WithinBudgetYetIntroducing w =>
            "within budget end to end, yet error enters at their own stage: " +
            string.Join(", ", w.Tensors.Select(t => string.Create(
                CultureInfo.InvariantCulture,
                $"{t.Tensor} (end to end {t.EndToEndBudgetUsed:G2} of its budget; its own step {Times(t.OwnStepBudgetUsed)} the step's budget)"))) +
            "; the table judges against the truth with the budget of the layer up to the tensor, stage isolation judges the stage alone " +
            "from the kernel's own inputs with the tighter budget of that step",
        CommonGemmAccumulation c => c.Models.Count > 0
            ? $"GEMM accumulation: {string.Join(" / ", c.Models)} reproduces the kernel's numbers in {string.Join(", ", c.GemmStages)}"
            : $"GEMM accumulation: no single fp16 accumulation model explains all of {string.Join(", ", c.GemmStages)}",
        AccumulationGroupFit g => g.ExactModels.Count > 0
            ? $"accumulation group: {string.Join(" / ", g.ExactModels)} reproduces the kernel's QKV projections exactly"
            : string.Create(CultureInfo.InvariantCulture, $"accumulation group: closest fit to the kernel's QKV projections is {g.Closest} (max abs {g.ClosestMaxAbs:G3}); none reproduces them exactly"),
        InheritedOnly i => $"inherited only (within budget given the kernel's own inputs): {string.Join(", ", i.Tensors)}",
        FoldedSegmentIntroducesError s => $"{SegmentText.Description(s.Segment)}: recomputed as one segment from the kernel's own tensors, so the error it introduces is the segment's",
        CannotBeShown c => $"cannot be shown with this layer: {c.Hypothesis} ({HypothesisText.Unshowable(c.Reason)})",
        NoHypothesisExplains n => $"no hypothesis explains: {string.Join(", ", n.Stages)}",
        ReferenceOnlyOverrides o =>
            $"the scenario overrides {string.Join(", ", o.Overrides.Select(p => $"{p.Key} := {p.Value.ToString(CultureInfo.InvariantCulture)}"))} " +
            "in the reference only (a kernel cannot apply it), so the whole-layer comparison from those tensors on is not like with like; " +
            "stage isolation below judges each stage on the kernel's own inputs instead",
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.GetType().Name, "a finding without words"),
    };

    private static string Stage(ErrorEntersStage stage)
    {
        var inv = CultureInfo.InvariantCulture;
        var head = string.Create(inv, $"{string.Join(", ", stage.FailingTensors)}: error enters here (introduced {Times(stage.IntroducedBudgetUsed)} budget)");
        if (stage.Best is not { } best)
        {
            return $"{head}; no hypothesis applies";
        }

        var line = string.Create(inv, $"{head}; best explanation: {HypothesisText.Description(best.Description)} (removes {Percent(best.FractionRemoved)} of the error; {Explains(best)})");
        if (best.Departures.Count > 0)
        {
            line += $"; departures the tensors show: {string.Join("; ", HypothesisText.Departures(best.Departures))}";
        }

        return stage.AlsoExplainedBy.Count > 0 ? $"{line}; also explained by: {string.Join(", ", stage.AlsoExplainedBy)}" : line;
    }

    private static string Explains(HypothesisResult h) => h.Explains
        ? "explains"
        : h.ExplainsFirst ? $"explains {h.Tensors[0].Tensor}, not {string.Join(", ", h.Tensors.Where(t => !t.Explains).Select(t => t.Tensor))}" : "does not explain";

    private static string Times(double used) => double.IsNaN(used) ? "an unusable" : double.IsPositiveInfinity(used) ? "∞×" : string.Create(CultureInfo.InvariantCulture, $"{used:G3}×");

    private static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.#}%");
}
