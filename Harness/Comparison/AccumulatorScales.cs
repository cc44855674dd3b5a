using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Comparison;

/// <summary>
/// Step allowances for the fp32 accumulator tensors. Their summands live in the kernel's dtype, and a kernel whose
/// upstream tensor legitimately differs by one step per element (ε·|x|, ε the dtype's machine epsilon) moves the sum,
/// to first order, by ε·Σ|∂sum/∂x·x|: ε·Σ|x| for Σx, 2ε·Σx² for Σx², ε·Σe for Σexp (e ≥ 0). That holds however much
/// Σx cancels, which is why the sum's own magnitude is the wrong place to measure its step.
/// </summary>
public static class AccumulatorScales
{
    /// <summary>The step allowance for <paramref name="name"/>, or null when its own magnitude is the right place.</summary>
    public static StepScale? For(string name, IReadOnlyDictionary<string, HostTensor> truth, ElementType kernelDtype)
    {
        var epsilon = Ulp.SizeAt(kernelDtype, 1.0);
        return name switch
        {
            AttnLnSum => new StepScale(kernelDtype, epsilon * MaxRowAbsSum(truth[AttnDense], truth[Input])),
            FfnLnSum => new StepScale(kernelDtype, epsilon * MaxRowAbsSum(truth[FfnFc2Linear], truth[AttnOutput])),
            AttnLnSumSq or FfnLnSumSq => new StepScale(kernelDtype, 2 * epsilon * MaxAbs(truth[name])),
            AttnSoftmaxRowSum => new StepScale(kernelDtype, epsilon * MaxAbs(truth[name])),
            _ => null,
        };
    }

    /// <summary>max over rows of Σ|a + b| for [B,S,M] tensors (rows of the last dimension).</summary>
    private static double MaxRowAbsSum(HostTensor a, HostTensor b)
    {
        var width = a.Shape[^1];
        var max = 0.0;
        for (long row = 0; row < a.Count / width; row++)
        {
            var sum = 0.0;
            for (long j = row * width; j < (row + 1) * width; j++)
            {
                sum += Math.Abs(a.Data[j] + b.Data[j]);
            }

            max = Math.Max(max, sum);
        }

        return max;
    }

    private static double MaxAbs(HostTensor t)
    {
        var max = 0.0;
        foreach (var v in t.Data)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }
}
