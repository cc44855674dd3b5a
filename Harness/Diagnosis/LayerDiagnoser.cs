using Harness.Comparison;

namespace Harness.Diagnosis;

/// <summary>First divergence, stage isolation and ranked hypotheses for one verified layer.</summary>
public static class LayerDiagnoser
{
    public static LayerDiagnosis Diagnose(LayerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var isolation = StageIsolation.Isolate(verification);
        var kinds = DivergenceAnalyzer.Analyze(verification.Comparison, isolation).ToDictionary(k => k.Tensor, k => k.Kind);
        var stages = isolation.Where(s => s.IntroducesError).Select(s => HypothesisEvaluator.Rank(verification, s)).ToList();

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
            Findings = [],
        };
        return diagnosis with { Findings = Findings.For(diagnosis) };
    }
}
