using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>
/// Tries every applicable hypothesis on a stage that introduces error and ranks them.
/// </summary>
/// <remarks>
/// Each alternative is the stage's segment (<see cref="StageSegment"/>) recomputed in float64 from the kernel's own
/// upstream tensors, with the hypothesis at every stage of the segment it concerns and the reference at the others
/// (it claims nothing about them). A hypothesis about a folded stage (e.g. the score scale when attn.scores is not
/// written) is judged on every failing output of the segment, since each derives from that stage. Where a segment folds
/// stages in and no single-point hypothesis explains it, pairs are tried (one at a folded stage, one at the judged
/// stage), since its departures may sit at different stages. Fraction removed = 1 − rmse(kernel − alternative)/rmse(kernel − isolated) (RMSE rather than max abs: a
/// systematic departure moves every element, and RMSE weighs them all). A hypothesis explains a tensor when the kernel
/// matches the alternative with the very budget that judged the introduced error (max abs and RMSE both within it, no
/// non-finite value out of place); where that budget is unusable (non-finite low-precision recompute) every element
/// must be within 2 ULP of the kernel's dtype (float32 for accumulators). Rank: those explaining every failing tensor
/// first, then those explaining the stage's first failing tensor (a stage's later products are computed from its
/// earlier ones, e.g. probabilities from the row sums), single-point before composite among those (a whole preset
/// also explains what one of its points explains), then by fraction
/// removed (to 6 digits), single-point before composite, single before pair, then smaller RMSE, then catalog order.
/// </remarks>
public static class HypothesisEvaluator
{
    public static StageHypotheses Rank(LayerVerification verification, StageIsolationResult isolation, IEnumerable<IHypothesis>? hypotheses = null)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(isolation);
        var failing = isolation.Tensors.Where(t => t.IntroducesError).ToList();
        var segment = isolation.Segment;
        var tried = new List<Tried>();
        var unshowable = new List<UnshowableHypothesis>();
        var order = 0;
        foreach (var hypothesis in hypotheses ?? HypothesisCatalog.All)
        {
            order++;
            var at = AlternativesAt(verification, segment, failing, hypothesis, unshowable);
            if (at.Count == 0)
            {
                continue;
            }

            // A change above the judged stage reaches every one of its outputs; one at the stage, only the tensors it names.
            var targets = at.Keys.Any(s => s != segment.Stage) ? failing : failing.Where(t => hypothesis.Tensors.Contains(t.Name)).ToList();
            using var products = Recompute(verification, segment, at, isolation.Products, targets.Select(t => t.Name).ToList());
            var result = new HypothesisResult
            {
                Name = hypothesis.Name,
                Description = hypothesis.Description,
                IsComposite = hypothesis.IsComposite,
                Tensors = Judge(verification, targets, products),
            };
            if (result.IsComposite && result.Explains)
            {
                result = result with { Departures = PresetDecomposition.Departures(verification, segment, at, targets) };
            }

            // Only a hypothesis confined to folded stages can start a pair, so only its intermediates are kept.
            var intermediates = at.ContainsKey(segment.Stage) ? new Dictionary<string, HostTensor>() : segment.Intermediates(products.Host);
            tried.Add(new Tried(result, order, at, intermediates));
        }

        tried.AddRange(Combinations(verification, segment, failing, tried, order));
        var ranked = tried
            .OrderByDescending(r => r.Result.Explains)
            .ThenByDescending(r => r.Result.ExplainsFirst)
            .ThenBy(r => r.Result.ExplainsFirst && r.Result.IsComposite)
            .ThenByDescending(r => Math.Round(r.Result.FractionRemoved, 6))
            .ThenBy(r => r.Result.IsComposite)
            .ThenBy(r => r.Result.Parts.Count)
            .ThenBy(r => r.Result.Tensors.Sum(t => t.AgainstAlternative.Rmse))
            .ThenBy(r => r.Order)
            .Select(r => r.Result)
            .ToList();
        return new StageHypotheses(isolation.Stage.Name, failing.Select(t => t.Name).ToList(), ranked, unshowable);
    }

    internal static HypothesisSubject SubjectOf(LayerVerification v, StageInfo stage) => new(
        stage, v.ReferenceSemantics, v.Setup.Weights, v.Shape, v.KernelDtype, v.AccumulationGroup, v.Setup.AccumulationRounding);

    /// <summary>The segment of <paramref name="stage"/> recomputed in float64 with <paramref name="alternative"/> at every stage of it, for judging <paramref name="judged"/>.</summary>
    internal static RerunProducts Recompute(LayerVerification v, StageInfo stage, StageAlternative alternative, IReadOnlyCollection<string> judged) =>
        StageSegment.Of(v, stage).RecomputeJudged(v, _ => alternative, judged);

    /// <summary>
    /// The segment recomputed in float64 with the given alternatives at their stages and the reference elsewhere; the
    /// stages above the first alternative are taken from <paramref name="reference"/>, the segment's reference products.
    /// </summary>
    /// <param name="judged">The products judged (the segment's intermediates are always returned, on the host).</param>
    internal static RerunProducts Recompute(LayerVerification v, StageSegment segment, IReadOnlyDictionary<StageInfo, StageAlternative> at, IReadOnlyDictionary<string, HostTensor> reference, IReadOnlyCollection<string> judged)
    {
        var first = segment.Stages.First(at.ContainsKey);
        var known = segment.Intermediates(reference).Where(p => segment.ProducerIndex(p.Key) < segment.IndexOf(first)).ToDictionary();
        return segment.RecomputeJudged(v, s => at.GetValueOrDefault(s), judged, known);
    }

    /// <summary>
    /// The stages of the segment a hypothesis concerns and its alternative at each: the judged stage when it names one of
    /// its failing tensors, a folded stage when it names one of that stage's products, and only where it applies. Those
    /// it concerns but that this layer cannot show are added to <paramref name="unshowable"/>.
    /// </summary>
    private static Dictionary<StageInfo, StageAlternative> AlternativesAt(
        LayerVerification v, StageSegment segment, IReadOnlyList<IsolatedTensor> failing, IHypothesis hypothesis, List<UnshowableHypothesis> unshowable)
    {
        var at = new Dictionary<StageInfo, StageAlternative>();
        foreach (var stage in segment.Stages)
        {
            var concerns = stage == segment.Stage
                ? failing.Any(t => hypothesis.Tensors.Contains(t.Name))
                : stage.Produces.Any(hypothesis.Tensors.Contains);
            if (!concerns)
            {
                continue;
            }

            var subject = SubjectOf(v, stage);
            var applicability = hypothesis.AppliesTo(subject);
            if (applicability.Applies)
            {
                at[stage] = hypothesis.Alternative(subject);
            }
            else if (applicability.WhyUnshowable is { } why && unshowable.All(u => u.Name != hypothesis.Name))
            {
                unshowable.Add(new UnshowableHypothesis(hypothesis.Name, why));
            }
        }

        return at;
    }

    /// <summary>
    /// Where the segment folds stages in and no single-point hypothesis explains it, each departure may sit at its own
    /// stage (e.g. the score scale at Scores and the softmax at Softmax): every single-point hypothesis at the folded
    /// stages is tried together with every one at the judged stage. The folded stages' products are reused from the
    /// first one's own recompute, so a pair costs one rerun of the judged stage.
    /// </summary>
    private static IEnumerable<Tried> Combinations(LayerVerification v, StageSegment segment, IReadOnlyList<IsolatedTensor> failing, IReadOnlyList<Tried> tried, int order)
    {
        var singles = tried.Where(t => !t.Result.IsComposite).ToList();
        if (!segment.IsFolded || failing.Count == 0 || singles.Any(t => t.Result.Explains && t.Result.Tensors.Count == failing.Count))
        {
            yield break;
        }

        var above = singles.Where(t => !t.At.ContainsKey(segment.Stage)).ToList();
        var at = singles.Where(t => t.At.Count == 1 && t.At.ContainsKey(segment.Stage)).ToList();
        foreach (var upper in above)
        {
            foreach (var lower in at)
            {
                var alternatives = new Dictionary<StageInfo, StageAlternative>(upper.At) { [segment.Stage] = lower.At[segment.Stage] };
                using var products = segment.RecomputeJudged(v, s => alternatives.GetValueOrDefault(s), failing.Select(t => t.Name).ToList(), upper.Intermediates);
                var result = new HypothesisResult
                {
                    Name = $"{upper.Result.Name} + {lower.Result.Name}",
                    Description = new PairDescription(upper.Result.Description, lower.Result.Description),
                    IsComposite = false,
                    Tensors = Judge(v, failing, products),
                    Parts = [upper.Result.Name, lower.Result.Name],
                };
                yield return new Tried(result, ++order, alternatives, segment.Intermediates(products.Host));
            }
        }
    }

    internal static IReadOnlyList<HypothesisTensorResult> Judge(LayerVerification v, IReadOnlyList<IsolatedTensor> targets, RerunProducts alternative)
    {
        var results = new List<HypothesisTensorResult>();
        foreach (var target in targets)
        {
            var kernel = v.Kernel[target.Name];
            var againstAlternative = Discrepancy.Between(kernel, alternative.ShapeOf(target.Name), alternative.ValuesOf(target.Name));
            results.Add(new HypothesisTensorResult(
                target.Name,
                againstAlternative,
                againstAlternative.FractionRemovedFrom(target.KernelAgainstIsolated),
                Explains(target, kernel, alternative.ValuesOf(target.Name), againstAlternative)));
        }

        return results;
    }

    private static bool Explains(IsolatedTensor target, HostTensor kernel, ReadOnlySpan<double> alternative, Discrepancy d)
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
        for (var i = 0; i < kernel.Data.Length; i++)
        {
            if (double.IsFinite(kernel.Data[i]) && Ulp.Distance(dtype, kernel.Data[i], alternative[i]) > 2)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hypothesis (or pair) tried on the segment: its result, catalog order, alternatives by stage, and the intermediates it recomputed.</summary>
    private sealed record Tried(HypothesisResult Result, int Order, IReadOnlyDictionary<StageInfo, StageAlternative> At, IReadOnlyDictionary<string, HostTensor> Intermediates);
}
