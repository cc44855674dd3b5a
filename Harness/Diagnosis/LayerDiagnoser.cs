using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;

namespace Harness.Diagnosis;

/// <summary>First divergence, stage isolation and ranked hypotheses for one verified layer.</summary>
public static class LayerDiagnoser
{
    /// <summary>The full diagnosis: hypotheses plus <see cref="Observations"/> (patterns, invariants, the scenario's blind spots).</summary>
    public static LayerDiagnosis Diagnose(LayerVerification verification, Harness.Scenarios.ScenarioInstance? scenario, IProgress<string>? progress = null)
    {
        // The observations need no hypothesis, so they are made beside the accumulation fit (after the hypotheses, whose
        // reruns are the diagnosis's peak of memory, so their arrays do not add to it).
        Task<Func<LayerDiagnosis, LayerDiagnosis>>? observe = null;
        var diagnosis = Diagnose(verification, progress, () => observe = Task.Run(() =>
        {
            progress?.Report("diagnosing: patterns, invariants, blind spots");
            return Observations.Observe(verification, scenario);
        }));
        return observe!.GetAwaiter().GetResult()(diagnosis);
    }

    public static LayerDiagnosis Diagnose(LayerVerification verification, IProgress<string>? progress = null) =>
        Diagnose(verification, progress, beforeFit: null);

    private static LayerDiagnosis Diagnose(LayerVerification verification, IProgress<string>? progress, Action? beforeFit)
    {
        ArgumentNullException.ThrowIfNull(verification);
        progress?.Report("diagnosing: stage isolation");
        var isolation = StageIsolation.Isolate(verification);
        var kinds = DivergenceAnalyzer.Analyze(verification.Comparison, isolation).ToDictionary(k => k.Tensor, k => k.Kind);
        // Stages are ranked independently of one another, so in parallel (in stage order in the result).
        var stages = isolation.Where(s => s.IntroducesError).AsParallel().AsOrdered().Select(s =>
        {
            progress?.Report($"diagnosing: hypotheses for {s.Stage.Name}");
            return HypothesisEvaluator.Rank(verification, s);
        }).ToList();
        beforeFit?.Invoke();

        var tensors = verification.Comparison.Verdicts.Select(verdict =>
        {
            var isolated = isolation.SelectMany(s => s.Tensors).FirstOrDefault(t => t.Name == verdict.Name);
            var hypotheses = stages.FirstOrDefault(s => s.FailingTensors.Contains(verdict.Name));
            return new TensorDiagnosis(verdict, kinds[verdict.Name], isolated, hypotheses);
        }).ToList();

        var diagnosis = new LayerDiagnosis
        {
            Verification = verification,
            Origin = verification.Comparison.FirstFailing?.Name,
            Tensors = tensors,
            Isolation = isolation,
            Stages = stages,
            Unshowable = Unshowable(verification, isolation),
            Accumulation = Fit(verification, progress),
            Findings = [],
        };
        return diagnosis with { Findings = Findings.For(diagnosis) };
    }

    private static IReadOnlyList<AccumulationCandidate> Fit(LayerVerification verification, IProgress<string>? progress)
    {
        progress?.Report("diagnosing: accumulation fit");
        return AccumulationFit.Fit(verification);
    }

    /// <summary>Every hypothesis that some isolated stage or segment could in principle show, but this layer's values cannot.</summary>
    private static IReadOnlyList<UnshowableHypothesis> Unshowable(LayerVerification verification, IReadOnlyList<StageIsolationResult> isolation)
    {
        var found = new List<UnshowableHypothesis>();
        foreach (var (stage, isolated) in isolation.SelectMany(i => i.Segment.Stages.Select(s => (s, i))))
        {
            // A folded stage can show what concerns any of its products; the judged stage, what concerns its written ones.
            var shown = stage == isolated.Stage ? isolated.Tensors.Select(t => t.Name).ToList() : stage.Produces;
            var subject = HypothesisEvaluator.SubjectOf(verification, stage);
            foreach (var hypothesis in HypothesisCatalog.All.Where(h => shown.Any(h.Tensors.Contains)))
            {
                var applicability = hypothesis.AppliesTo(subject);
                if (applicability.WhyUnshowable is { } why && found.All(u => u.Name != hypothesis.Name))
                {
                    found.Add(new UnshowableHypothesis(hypothesis.Name, why));
                }
            }
        }

        return found;
    }
}
