using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Comparison;

/// <summary>
/// Step scales for the fp32 accumulator tensors. Their summands are stored in the kernel's dtype, so a kernel whose
/// upstream tensor legitimately differs by one step per element moves the sum by up to one step of that dtype at
/// Σ|summand| — however small the sum itself is after cancellation.
/// </summary>
public static class AccumulatorScales
{
    /// <summary>The step scale for <paramref name="name"/>, or null when its own magnitude is the right place.</summary>
    public static StepScale? For(string name, IReadOnlyDictionary<string, HostTensor> truth, ElementType kernelDtype) => name switch
    {
        AttnLnSum => new StepScale(kernelDtype, MaxRowAbsSum(truth[AttnDense], truth[Input])),
        FfnLnSum => new StepScale(kernelDtype, MaxRowAbsSum(truth[FfnFc2Linear], truth[AttnOutput])),
        AttnLnSumSq or FfnLnSumSq or AttnSoftmaxRowSum => new StepScale(kernelDtype, MaxAbs(truth[name])),
        _ => null,
    };

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
