using Harness.Comparison;
using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>Softmax checks: probability rows sum to 1 and lie in [0, 1]; the row sums buffer is positive and finite.</summary>
internal static class ProbabilityChecks
{
    public static IEnumerable<InvariantResult> Probabilities(IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape, InvariantContext ctx)
    {
        if (!tensors.TryGetValue(TensorNames.AttnProbs, out var probs))
        {
            yield return InvariantResult.NotApplicable(InvariantNames.ProbabilityRowSum, TensorNames.AttnProbs, new TensorsNotGiven([TensorNames.AttnProbs]));
            yield return InvariantResult.NotApplicable(InvariantNames.ProbabilityRange, TensorNames.AttnProbs, new TensorsNotGiven([TensorNames.AttnProbs]));
            yield break;
        }

        var s = shape.Sequence;
        var tolerance = InvariantTolerances.ProbabilityRowSum(probs.Dtype, s) * ctx.ToleranceScale;
        var rowSums = new WorstTracker();
        var range = new WorstTracker();
        for (long row = 0; row < probs.Count / s; row++)
        {
            var sum = 0.0;
            for (var t = 0; t < s; t++)
            {
                var index = row * s + t;
                var p = probs.Data[index];
                sum += p;
                var outside = double.IsNaN(p) ? double.NaN : p < 0 ? -p : p > 1 ? p - 1 : 0;
                range.Observe(outside, 0, () => new ElementValue(TensorNames.AttnProbs, TensorIndex.Unflatten(index, probs.Shape), p));
            }

            var r = row;
            rowSums.Observe(Math.Abs(sum - 1), tolerance, () => new RowSum(RowPosition.OfHeadRow(shape, r), sum));
        }

        yield return rowSums.ToResult(InvariantNames.ProbabilityRowSum, TensorNames.AttnProbs, "rows", "|Σp − 1|");
        yield return range.ToResult(InvariantNames.ProbabilityRange, TensorNames.AttnProbs, "values", "distance outside [0, 1]");
    }

    public static InvariantResult SoftmaxRowSums(IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape)
    {
        if (!tensors.TryGetValue(TensorNames.AttnSoftmaxRowSum, out var sums))
        {
            return InvariantResult.NotApplicable(InvariantNames.SoftmaxRowSumPositive, TensorNames.AttnSoftmaxRowSum, new TensorsNotGiven([TensorNames.AttnSoftmaxRowSum]));
        }

        long bad = 0;
        long first = -1;
        var smallest = double.PositiveInfinity;
        for (long i = 0; i < sums.Count; i++)
        {
            var v = sums.Data[i];
            smallest = double.IsNaN(smallest) || double.IsNaN(v) ? double.NaN : Math.Min(smallest, v);
            if (v > 0 && double.IsFinite(v))
            {
                continue;
            }

            first = bad == 0 ? i : first;
            bad++;
        }

        var detail = new RowSumsChecked(bad, sums.Count, bad == 0 ? null : RowPosition.OfHeadRow(shape, first), bad == 0 ? double.NaN : sums.Data[first], smallest);
        return new InvariantResult(InvariantNames.SoftmaxRowSumPositive, TensorNames.AttnSoftmaxRowSum, bad == 0 ? InvariantStatus.Passed : InvariantStatus.Failed, detail, smallest);
    }
}
