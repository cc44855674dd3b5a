using System.Globalization;
using Harness.Diagnosis.Hypotheses;

namespace Harness.Diagnosis;

/// <summary>The plain-language lines of a diagnosis (data, not output: Reporting decides how to show them).</summary>
public static class Findings
{
    public static IReadOnlyList<string> For(LayerDiagnosis d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var lines = new List<string>();
        var v = d.Verification;
        if (d.Origin is null)
        {
            lines.Add($"{v.Variant}: every tensor within budget against {v.ReferenceSemantics.Name}; nothing to diagnose");
            return lines;
        }

        lines.Add($"{v.Variant} vs {v.ReferenceSemantics.Name} ({v.ScenarioName}): first divergence at {d.Origin}");
        foreach (var stage in d.Stages)
        {
            lines.Add(StageLine(d, stage));
        }

        lines.AddRange(WithinBudgetLine(d));
        lines.AddRange(AccumulationLine(d));
        lines.AddRange(FitLine(d));

        var inherited = d.Tensors.Where(t => t.Kind == DivergenceKind.Inherited).Select(t => t.Name).ToList();
        if (inherited.Count > 0)
        {
            lines.Add($"inherited only (within budget given the kernel's own inputs): {string.Join(", ", inherited)}");
        }

        foreach (var s in d.Isolation.Where(s => s.Segment.IsFolded && s.IntroducesError))
        {
            lines.Add($"{s.Segment.Description}: recomputed as one segment from the kernel's own tensors, so the error it introduces is the segment's");
        }

        lines.AddRange(d.Unshowable.Select(u => $"cannot be shown with this layer: {u.Name} ({u.Reason})"));

        var unexplained = d.Stages.Where(s => !s.Explaining.Any()).Select(s => s.Stage).ToList();
        if (unexplained.Count > 0)
        {
            lines.Add($"no hypothesis explains: {string.Join(", ", unexplained)}");
        }

        return lines;
    }

    private static string StageLine(LayerDiagnosis d, StageHypotheses stage)
    {
        var inv = CultureInfo.InvariantCulture;
        var introduced = stage.FailingTensors.Select(n => d.Tensor(n).Isolation!.Introduced.BudgetUsed).DefaultIfEmpty(double.NaN).Max();
        var head = string.Create(inv, $"{string.Join(", ", stage.FailingTensors)}: error enters here (introduced {Times(introduced)} budget)");
        if (stage.Best is not { } best)
        {
            return $"{head}; no hypothesis applies";
        }

        var line = string.Create(inv, $"{head}; best explanation: {best.Description} (removes {Percent(best.FractionRemoved)} of the error; {ExplainsText(best)})");
        if (best.Departures.Count > 0)
        {
            line += $"; departures the tensors show: {string.Join("; ", best.Departures)}";
        }

        var others = stage.Explaining.Skip(1).Select(h => h.Name).ToList();
        return others.Count > 0 ? $"{line}; also explained by: {string.Join(", ", others)}" : line;
    }

    /// <summary>Why a tensor can pass in the table while its stage introduces error (see <see cref="LayerDiagnosis.WithinBudgetButIntroducing"/>).</summary>
    private static IEnumerable<string> WithinBudgetLine(LayerDiagnosis d)
    {
        var tensors = d.WithinBudgetButIntroducing.Select(t => string.Create(
            CultureInfo.InvariantCulture,
            $"{t.Name} (end to end {t.Verdict.BudgetUsed:G2} of its budget; its own step {Times(t.Isolation!.Introduced.BudgetUsed)} the step's budget)")).ToList();
        if (tensors.Count > 0)
        {
            yield return $"within budget end to end, yet error enters at their own stage: {string.Join(", ", tensors)}; the table judges against the truth with the budget of the layer up to the tensor, stage isolation judges the stage alone from the kernel's own inputs with the tighter budget of that step";
        }
    }

    /// <summary>The fp16 accumulation models that explain every GEMM stage that some accumulation model explains.</summary>
    private static IEnumerable<string> AccumulationLine(LayerDiagnosis d)
    {
        var accumulation = new AccumulationHypotheses().Members.Select(h => h.Name).ToList();
        var gemmStages = d.Stages.Where(s => s.Explaining.Any(r => accumulation.Contains(r.Name))).ToList();
        if (gemmStages.Count == 0)
        {
            yield break;
        }

        var common = accumulation.Where(name => gemmStages.All(s => s.Explaining.Any(r => r.Name == name))).ToList();
        var stages = string.Join(", ", gemmStages.Select(s => s.Stage));
        yield return common.Count > 0
            ? $"GEMM accumulation: {string.Join(" / ", common)} reproduces the kernel's numbers in {stages}"
            : $"GEMM accumulation: no single fp16 accumulation model explains all of {stages}";
    }

    private static IEnumerable<string> FitLine(LayerDiagnosis d)
    {
        if (d.Accumulation.Count == 0)
        {
            yield break;
        }

        var exact = d.Accumulation.Where(c => c.Exact).Select(c => c.Model.ToString()).ToList();
        var best = d.Accumulation[0];
        yield return exact.Count > 0
            ? $"accumulation group: {string.Join(" / ", exact)} reproduces the kernel's QKV projections exactly"
            : string.Create(CultureInfo.InvariantCulture, $"accumulation group: closest fit to the kernel's QKV projections is {best.Model} (max abs {best.AgainstKernel.MaxAbs:G3}); none reproduces them exactly");
    }

    private static string ExplainsText(HypothesisResult h) => h.Explains
        ? "explains"
        : h.ExplainsFirst ? $"explains {h.Tensors[0].Tensor}, not {string.Join(", ", h.Tensors.Where(t => !t.Explains).Select(t => t.Tensor))}" : "does not explain";

    private static string Times(double used) => double.IsNaN(used) ? "an unusable" : double.IsPositiveInfinity(used) ? "∞×" : string.Create(CultureInfo.InvariantCulture, $"{used:G3}×");

    private static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.#}%");
}
