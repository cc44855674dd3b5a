using Harness.Comparison;
using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>Element-wise checks: finiteness and fp16 range, ReLU, and attn.qkv against attn.q/k/v.</summary>
internal static class ElementChecks
{
    /// <summary>The largest finite float16 value.</summary>
    public const double Float16Max = 65504;

    public static InvariantResult Finite(string name, HostTensor t)
    {
        var isHalf = t.Dtype == ElementType.Float16;
        var check = isHalf ? InvariantNames.Fp16Range : InvariantNames.Finite;
        long bad = 0;
        long first = -1;
        var worst = 0.0;
        for (long i = 0; i < t.Count; i++)
        {
            var v = t.Data[i];
            worst = double.IsNaN(worst) || double.IsNaN(v) ? double.NaN : Math.Max(worst, Math.Abs(v));
            if (double.IsFinite(v) && (!isHalf || Math.Abs(v) <= Float16Max))
            {
                continue;
            }

            first = bad == 0 ? i : first;
            bad++;
        }

        var detail = new ValuesChecked(name, bad, t.Count, bad == 0 ? null : TensorIndex.Unflatten(first, t.Shape), bad == 0 ? double.NaN : t.Data[first], worst, isHalf ? Float16Max : null);
        return new InvariantResult(check, name, bad == 0 ? InvariantStatus.Passed : InvariantStatus.Failed, detail, worst);
    }

    public static IEnumerable<InvariantResult> Relu(IReadOnlyDictionary<string, HostTensor> tensors, InvariantContext ctx)
    {
        if (ctx.Activation != Activation.Relu)
        {
            var why = new ActivationNotRelu(ctx.Activation);
            yield return InvariantResult.NotApplicable(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, why);
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, why);
            yield break;
        }

        if (!tensors.TryGetValue(TensorNames.FfnFc1, out var fc1))
        {
            yield return InvariantResult.NotApplicable(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, new TensorsNotGiven([TensorNames.FfnFc1]));
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, new TensorsNotGiven([TensorNames.FfnFc1]));
            yield break;
        }

        var nonNegative = new WorstTracker();
        for (long i = 0; i < fc1.Count; i++)
        {
            var v = fc1.Data[i];
            var index = i;
            nonNegative.Observe(v < 0 ? -v : double.IsNaN(v) ? double.NaN : 0, 0, () => new ElementValue(TensorNames.FfnFc1, TensorIndex.Unflatten(index, fc1.Shape), v));
        }

        yield return nonNegative.ToResult(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, "values", "negative part");

        if (!tensors.TryGetValue(TensorNames.FfnFc1Linear, out var linear))
        {
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, new TensorsNotGiven([TensorNames.FfnFc1Linear]));
            yield break;
        }

        // Rounding is monotone and 0 is exact, so ReLU commutes with rounding: the relation holds exactly.
        var ofLinear = new WorstTracker();
        for (long i = 0; i < fc1.Count; i++)
        {
            var v = fc1.Data[i];
            var pre = linear.Data[i];
            var index = i;
            ofLinear.Observe(Math.Abs(v - Math.Max(pre, 0)), 0, () => new ReluMismatch(TensorNames.FfnFc1, TensorIndex.Unflatten(index, fc1.Shape), v, pre));
        }

        yield return ofLinear.ToResult(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, "values", "|difference|");
    }

    public static InvariantResult QkvStack(IReadOnlyDictionary<string, HostTensor> tensors)
    {
        string[] parts = [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV];
        var missing = parts.Prepend(TensorNames.AttnQkv).Where(n => !tensors.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            return InvariantResult.NotApplicable(InvariantNames.QkvStack, TensorNames.AttnQkv, new TensorsNotGiven(missing));
        }

        var qkv = tensors[TensorNames.AttnQkv];
        var tracker = new WorstTracker();
        for (var p = 0; p < 3; p++)
        {
            var part = tensors[parts[p]];
            var partName = parts[p];

            // Invariant: [3, B·H, S, D] is the three [B, H, S, D] tensors laid end to end, so part p starts at p·B·H·S·D.
            var offset = p * part.Count;
            for (long i = 0; i < part.Count; i++)
            {
                var stacked = qkv.Data[offset + i];
                var own = part.Data[i];
                var index = i;
                tracker.Observe(Math.Abs(stacked - own), 0, () => new StackMismatch(TensorNames.AttnQkv, TensorIndex.Unflatten(offset + index, qkv.Shape), stacked, partName, TensorIndex.Unflatten(index, part.Shape), own));
            }
        }

        return tracker.ToResult(InvariantNames.QkvStack, TensorNames.AttnQkv, "values", "|difference|");
    }
}
