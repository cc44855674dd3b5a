using Harness.Diagnosis.Hypotheses;

namespace Harness.Diagnosis;

/// <summary>The findings of a diagnosis as typed records, most important first (Reporting words them).</summary>
public static class Findings
{
    public static IReadOnlyList<LayerFinding> For(LayerDiagnosis d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var v = d.Verification;
        if (d.Origin is null)
        {
            return [new NothingToDiagnose(v.Variant, v.ReferenceSemantics.Name)];
        }

        var findings = new List<LayerFinding> { new FirstDivergence(v.Variant, v.ReferenceSemantics.Name, v.ScenarioName, d.Origin) };
        findings.AddRange(d.Stages.Select(stage => Stage(d, stage)));
        findings.AddRange(WithinBudget(d));
        findings.AddRange(CommonAccumulation(d));
        findings.AddRange(GroupFit(d));

        var inherited = d.Tensors.Where(t => t.Kind == DivergenceKind.Inherited).Select(t => t.Name).ToList();
        if (inherited.Count > 0)
        {
            findings.Add(new InheritedOnly(inherited));
        }

        findings.AddRange(d.Isolation.Where(s => s.Segment.IsFolded && s.IntroducesError).Select(s => new FoldedSegmentIntroducesError(s.Segment)));
        findings.AddRange(d.Unshowable.Select(u => new CannotBeShown(u.Name, u.Reason)));

        var unexplained = d.Stages.Where(s => !s.Explaining.Any()).Select(s => s.Stage).ToList();
        if (unexplained.Count > 0)
        {
            findings.Add(new NoHypothesisExplains(unexplained));
        }

        return findings;
    }

    private static ErrorEntersStage Stage(LayerDiagnosis d, StageHypotheses stage)
    {
        var introduced = stage.FailingTensors.Select(n => d.Tensor(n).Isolation!.Introduced.BudgetUsed).DefaultIfEmpty(double.NaN).Max();
        var others = stage.Best is null ? [] : stage.Explaining.Skip(1).Select(h => h.Name).ToList();
        return new ErrorEntersStage(stage.Stage, stage.FailingTensors, introduced, stage.Best, others);
    }

    /// <summary>Why a tensor can pass in the table while its stage introduces error (see <see cref="LayerDiagnosis.WithinBudgetButIntroducing"/>).</summary>
    private static IEnumerable<LayerFinding> WithinBudget(LayerDiagnosis d)
    {
        var tensors = d.WithinBudgetButIntroducing
            .Select(t => new TensorBudgets(t.Name, t.Verdict.BudgetUsed, t.Isolation!.Introduced.BudgetUsed))
            .ToList();
        if (tensors.Count > 0)
        {
            yield return new WithinBudgetYetIntroducing(tensors);
        }
    }

    /// <summary>The fp16 accumulation models that explain every GEMM stage that some accumulation model explains.</summary>
    private static IEnumerable<CommonGemmAccumulation> CommonAccumulation(LayerDiagnosis d)
    {
        var accumulation = new AccumulationHypotheses().Members.Select(h => h.Name).ToList();
        var gemmStages = d.Stages.Where(s => s.Explaining.Any(r => accumulation.Contains(r.Name))).ToList();
        if (gemmStages.Count == 0)
        {
            yield break;
        }

        var common = accumulation.Where(name => gemmStages.All(s => s.Explaining.Any(r => r.Name == name))).ToList();
        yield return new CommonGemmAccumulation(common, gemmStages.Select(s => s.Stage).ToList());
    }

    private static IEnumerable<AccumulationGroupFit> GroupFit(LayerDiagnosis d)
    {
        if (d.Accumulation.Count == 0)
        {
            yield break;
        }

        var best = d.Accumulation[0];
        yield return new AccumulationGroupFit(d.Accumulation.Where(c => c.Exact).Select(c => c.Model).ToList(), best.Model, best.AgainstKernel.MaxAbs);
    }
}
