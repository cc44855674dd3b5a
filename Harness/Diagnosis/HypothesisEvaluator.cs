using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;

namespace Harness.Diagnosis;

/// <summary>
/// Tries every applicable hypothesis on a stage that introduces error and ranks them.
/// </summary>
/// <remarks>
/// Each alternative is the reference stage recomputed in float64 from the kernel's own upstream tensors under the
/// hypothesis. Fraction removed = 1 − rmse(kernel − alternative)/rmse(kernel − isolated) (RMSE rather than max abs: a
/// systematic departure moves every element, and RMSE weighs them all). A hypothesis explains a tensor when the kernel
/// matches the alternative with the very budget that judged the introduced error (max abs and RMSE both within it, no
/// non-finite value out of place); where that budget is unusable (non-finite low-precision recompute) every element
/// must be within 2 ULP of the kernel's dtype (float32 for accumulators). Rank: those explaining every failing tensor
/// first, then those explaining the stage's first failing tensor (a stage's later products are computed from its
/// earlier ones, e.g. probabilities from the row sums), single-point before composite among those (a whole preset
/// also explains what one of its points explains), then by fraction
/// removed (to 6 digits), single-point before composite, then smaller RMSE, then catalog order.
/// </remarks>
public static class HypothesisEvaluator
{
    public static StageHypotheses Rank(LayerVerification verification, StageIsolationResult isolation, IEnumerable<IHypothesis>? hypotheses = null)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(isolation);
        var failing = isolation.Tensors.Where(t => t.IntroducesError).ToList();
        var subject = SubjectOf(verification, isolation);
        var results = new List<(HypothesisResult Result, int Order)>();
        var unshowable = new List<UnshowableHypothesis>();
        var order = 0;
        foreach (var hypothesis in hypotheses ?? HypothesisCatalog.All)
        {
            order++;
            var targets = failing.Where(t => hypothesis.Tensors.Contains(t.Name)).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            var applicability = hypothesis.AppliesTo(subject);
            if (!applicability.Applies)
            {
                if (applicability.CannotBeShown)
                {
                    unshowable.Add(new UnshowableHypothesis(hypothesis.Name, applicability.Reason ?? "cannot be shown with this layer"));
                }

                continue;
            }

            var alternative = hypothesis.Alternative(subject);
            var result = new HypothesisResult
            {
                Name = hypothesis.Name,
                Description = hypothesis.Description,
                IsComposite = hypothesis.IsComposite,
                Tensors = Judge(verification, targets, Recompute(verification, subject.Stage, alternative)),
            };
            if (result.IsComposite && result.Explains)
            {
                result = result with { Departures = PresetDecomposition.Departures(verification, subject, alternative, targets) };
            }

            results.Add((result, order));
        }

        var ranked = results
            .OrderByDescending(r => r.Result.Explains)
            .ThenByDescending(r => r.Result.ExplainsFirst)
            .ThenBy(r => r.Result.ExplainsFirst && r.Result.IsComposite)
            .ThenByDescending(r => Math.Round(r.Result.FractionRemoved, 6))
            .ThenBy(r => r.Result.IsComposite)
            .ThenBy(r => r.Result.Tensors.Sum(t => t.AgainstAlternative.Rmse))
            .ThenBy(r => r.Order)
            .Select(r => r.Result)
            .ToList();
        return new StageHypotheses(isolation.Stage.Name, failing.Select(t => t.Name).ToList(), ranked, unshowable);
    }

    internal static HypothesisSubject SubjectOf(LayerVerification v, StageIsolationResult isolation) => new(
        isolation.Stage, v.ReferenceSemantics, v.Setup.Weights, v.Shape, v.KernelDtype, v.AccumulationGroup, v.Setup.AccumulationRounding);

    internal static Dictionary<string, HostTensor> Recompute(LayerVerification v, Harness.Reference.StageInfo stage, StageAlternative alternative)
    {
        var (upstream, _) = StageIsolation.KernelUpstream(v, stage);
        if (alternative.Upstream is { } feed)
        {
            upstream = upstream.ToDictionary(p => p.Key, p => feed(p.Key, p.Value));
        }

        var produced = StageRecomputer.Run(stage, upstream, alternative.Semantics, alternative.Weights, v.Shape, v.Setup.Inputs.AttentionMask, ElementType.Float64, v.Setup.ReferenceDevice);
        return alternative.Output is { } store ? produced.ToDictionary(p => p.Key, p => store(p.Key, p.Value)) : produced;
    }

    internal static IReadOnlyList<HypothesisTensorResult> Judge(LayerVerification v, IReadOnlyList<IsolatedTensor> targets, IReadOnlyDictionary<string, HostTensor> alternative)
    {
        var results = new List<HypothesisTensorResult>();
        foreach (var target in targets)
        {
            var kernel = v.Kernel[target.Name];
            var againstAlternative = Discrepancy.Between(kernel, alternative[target.Name]);
            var againstIsolated = Discrepancy.Between(kernel, target.Isolated);
            results.Add(new HypothesisTensorResult(
                target.Name,
                againstAlternative,
                againstAlternative.FractionRemovedFrom(againstIsolated),
                Explains(target, kernel, alternative[target.Name], againstAlternative)));
        }

        return results;
    }

    private static bool Explains(IsolatedTensor target, HostTensor kernel, HostTensor alternative, Discrepancy d)
    {
        if (!d.IsFinite)
        {
            return false;
        }

        var budget = target.Introduced;
        if (!double.IsNaN(budget.MaxAbsBudget))
        {
            return d.MaxAbs <= budget.MaxAbsBudget && d.Rmse <= budget.RmseBudget;
        }

        var dtype = TensorNames.IsFloat32Accumulator(target.Name) ? ElementType.Float32 : kernel.Dtype;
        for (long i = 0; i < kernel.Count; i++)
        {
            if (double.IsFinite(kernel.Data[i]) && Ulp.Distance(dtype, kernel.Data[i], alternative.Data[i]) > 2)
            {
                return false;
            }
        }

        return true;
    }
}
