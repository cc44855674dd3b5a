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

        return bad == 0
            ? new InvariantResult(check, name, InvariantStatus.Passed, $"{t.Count} values pass; max |value| = {RowNames.Value(worst)}", worst)
            : new InvariantResult(check, name, InvariantStatus.Failed,
                $"{bad} of {t.Count} values fail; first {name}{TensorIndex.Text(first, t.Shape)} = {RowNames.Value(t.Data[first])}{(isHalf ? $" (fp16 range ±{Float16Max})" : string.Empty)}",
                worst);
    }

    public static IEnumerable<InvariantResult> Relu(IReadOnlyDictionary<string, HostTensor> tensors, InvariantContext ctx)
    {
        if (ctx.Activation != Activation.Relu)
        {
            var why = ctx.Activation is null ? "the context names no activation" : $"the activation is {ctx.Activation}, not ReLU";
            yield return InvariantResult.NotApplicable(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, why);
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, why);
            yield break;
        }

        if (!tensors.TryGetValue(TensorNames.FfnFc1, out var fc1))
        {
            yield return InvariantResult.NotApplicable(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, "ffn.fc1 not given");
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, "ffn.fc1 not given");
            yield break;
        }

        var nonNegative = new WorstTracker();
        for (long i = 0; i < fc1.Count; i++)
        {
            var v = fc1.Data[i];
            var index = i;
            nonNegative.Observe(v < 0 ? -v : double.IsNaN(v) ? double.NaN : 0, 0, () => $"{TensorNames.FfnFc1}{TensorIndex.Text(index, fc1.Shape)} = {RowNames.Value(v)}");
        }

        yield return nonNegative.ToResult(InvariantNames.ReluNonNegative, TensorNames.FfnFc1, "values", "negative part");

        if (!tensors.TryGetValue(TensorNames.FfnFc1Linear, out var linear))
        {
            yield return InvariantResult.NotApplicable(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, "ffn.fc1_linear not given");
            yield break;
        }

        // Rounding is monotone and 0 is exact, so ReLU commutes with rounding: the relation holds exactly.
        var ofLinear = new WorstTracker();
        for (long i = 0; i < fc1.Count; i++)
        {
            var v = fc1.Data[i];
            var pre = linear.Data[i];
            var index = i;
            ofLinear.Observe(Math.Abs(v - Math.Max(pre, 0)), 0, () => $"{TensorNames.FfnFc1}{TensorIndex.Text(index, fc1.Shape)} = {RowNames.Value(v)} but ReLU({RowNames.Value(pre)}) = {RowNames.Value(Math.Max(pre, 0))}");
        }

        yield return ofLinear.ToResult(InvariantNames.ReluOfLinear, TensorNames.FfnFc1, "values", "|difference|");
    }

    public static InvariantResult QkvStack(IReadOnlyDictionary<string, HostTensor> tensors)
    {
        string[] parts = [TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV];
        var missing = parts.Prepend(TensorNames.AttnQkv).Where(n => !tensors.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            return InvariantResult.NotApplicable(InvariantNames.QkvStack, TensorNames.AttnQkv, $"{string.Join(", ", missing)} not given");
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
                tracker.Observe(Math.Abs(stacked - own), 0, () => $"{TensorNames.AttnQkv}{TensorIndex.Text(offset + index, qkv.Shape)} = {RowNames.Value(stacked)} but {partName}{TensorIndex.Text(index, part.Shape)} = {RowNames.Value(own)}");
            }
        }

        return tracker.ToResult(InvariantNames.QkvStack, TensorNames.AttnQkv, "values", "|difference|");
    }
}
