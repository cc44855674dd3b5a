using System.Globalization;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Model;
using Harness.Reporting.Documents;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>Lays a <see cref="LayerDiagnosis"/> out as the report's view model: formatting and selection only.</summary>
public static class DiagnosisReport
{
    public static ReportModel Model(LayerDiagnosis d, IReadOnlyList<string> comparabilityNotes)
    {
        var v = d.Verification;
        var title = v.AgainstVariant is null ? $"{v.Variant} on {v.ScenarioName}" : $"{v.Variant} against {v.AgainstVariant} on {v.ScenarioName}";
        return new ReportModel
        {
            Title = title,
            Subtitle = $"kernel computes {v.KernelSemantics}; judged against the {v.ReferenceSemantics.Name} reference",
            Passed = v.Passed,
            RunFacts = Facts(d),
            Findings = FindingText.Lines(d.Findings),
            BlindSpots = d.BlindSpots.Select(b => new BlindSpot(b.Code, BlindSpotText.Description(b), HiddenDefectText.Lines(b.HiddenDefects))).ToList(),
            ComparabilityNotes = comparabilityNotes,
            Invariants = d.Invariants.Select(i => new InvariantRow(i.Name, i.TensorName, i.Status, InvariantText.Detail(i.Detail))).ToList(),
            Stages = d.Isolation.Select(Stage).ToList(),
            Tensors = d.Tensors.Select(t => Tensor(d, t)).ToList(),
        };
    }

    private static List<ReportFact> Facts(LayerDiagnosis d)
    {
        var v = d.Verification;
        var facts = new List<ReportFact>
        {
            new("variant", v.Variant),
            new("scenario", v.ScenarioName),
            new("shape", v.Shape.ToString()),
            new("kernel dtype", v.KernelDtype.DumpName()),
            new("kernel semantics", v.KernelSemantics),
            new("reference semantics", $"{v.ReferenceSemantics.Name}, accumulation {v.ReferenceSemantics.Accumulation}"),
            new("kernel accumulation group", v.AccumulationGroup == 0 ? "fp32" : v.AccumulationGroup.ToString(CultureInfo.InvariantCulture)),
            new("kernel time", v.KernelElapsed is { } t ? $"{t.TotalMilliseconds:F1} ms" : "not run (a dump)"),
            new("verdict", v.Comparison.FirstFailing is { } f ? $"FAIL, first failing tensor {f.Name}" : "PASS"),
        };
        if (d.Accumulation.Count > 0)
        {
            facts.Add(new ReportFact(
                "accumulation fit (projections)",
                string.Join("; ", d.Accumulation.Take(4).Select(c => $"{c.Model}: max abs {Number(c.AgainstKernel.MaxAbs)}{(c.Exact ? " (exact)" : string.Empty)}"))));
        }

        return facts;
    }

    private static StageRow Stage(StageIsolationResult s) => new(
        SegmentText.Description(s.Segment),
        s.Tensors.Select(t => t.Name).ToList(),
        s.Tensors.Max(t => t.Introduced.Comparison.MaxAbs),
        s.Tensors.Max(t => t.Introduced.BudgetUsed),
        s.Tensors.Max(t => t.Inherited.MaxAbs),
        !s.IntroducesError,
        s.IntroducesError ? "introduces error" : "clean");

    private static TensorSection Tensor(LayerDiagnosis d, TensorDiagnosis t)
    {
        var c = t.Verdict.Comparison;
        var hypotheses = t.Hypotheses?.Ranked.Take(8).Select((h, i) => new HypothesisRow(
            i + 1, h.Name, HypothesisText.Description(h.Description), 100 * h.FractionRemoved, h.Explains,
            h.Departures.Count > 0 ? "departures: " + string.Join("; ", HypothesisText.Departures(h.Departures)) : string.Empty)).ToList() ?? [];
        return new TensorSection
        {
            Name = t.Name,
            Passed = t.Verdict.Passed,
            Kind = t.Kind switch
            {
                DivergenceKind.Origin => TensorKind.Origin,
                DivergenceKind.Inherited => TensorKind.Inherited,
                DivergenceKind.IntroducesOwnError => TensorKind.IntroducesOwnError,
                _ => TensorKind.Passed,
            },
            VerdictLine = TensorDumpVerdictLine.Render(t.Verdict),
            MaxAbs = c.MaxAbs,
            BudgetUsed = t.Verdict.BudgetUsed,
            WorstElement = c.Worst is { } w ? $"{Shape(w.Index)}: kernel {Number(w.Actual)} vs truth {Number(w.Expected)}" : string.Empty,
            Metrics = Metrics(t),
            ReferenceDump = TensorDump.Render(t.Name, c.ExpectedStats),
            KernelDump = TensorDump.Render(t.Name, c.ActualStats),
            SideBySide = TensorDump.RenderSideBySide(c),
            Hypotheses = hypotheses,
            PatternFindings = d.Patterns.TryGetValue(t.Name, out var p) ? PatternText.Lines(p.Findings) : [],
            Heatmap = d.Patterns.TryGetValue(t.Name, out var hp) ? hp.Heatmap : null,
            AbsErrors = d.AbsoluteErrors.GetValueOrDefault(t.Name),
        };
    }

    private static List<ReportFact> Metrics(TensorDiagnosis t)
    {
        var v = t.Verdict;
        var c = v.Comparison;
        var rows = new List<ReportFact>
        {
            new("max abs", Number(c.MaxAbs)),
            new("max rel", Number(c.MaxRel)),
            new("mean abs", Number(c.MeanAbs)),
            new("rmse", Number(c.Rmse)),
            new("relative L2", Number(c.RelativeL2)),
            new("cosine", Number(c.Cosine)),
            new("mismatch", $"{Percent(c.MismatchPercent)} ({c.MismatchCount} of {c.ElementCount})"),
            new("max ULP (fp16)", c.MaxUlpFp16.ToString(CultureInfo.InvariantCulture)),
            new("budget max abs / rmse", $"{Number(v.MaxAbsBudget)} / {Number(v.RmseBudget)}"),
            new("budget used", double.IsNaN(v.BudgetUsed) ? "-" : Fraction(v.BudgetUsed)),
            new("low-precision reference error (max abs)", Number(v.ReferenceError.MaxAbs)),
            new("minimal passing atol / rtol", $"{Number(c.MinimalPassingAtol)} / {Number(c.MinimalPassingRtol)}"),
        };
        if (t.Isolation is { } iso)
        {
            rows.Add(new ReportFact("introduced here (isolated)", $"max abs {Number(iso.Introduced.Comparison.MaxAbs)}, budget used {Fraction(iso.Introduced.BudgetUsed)}"));
            rows.Add(new ReportFact("inherited from upstream", $"max abs {Number(iso.Inherited.MaxAbs)}, budget used {Fraction(iso.Inherited.BudgetUsed)}"));
        }

        return rows;
    }
}
