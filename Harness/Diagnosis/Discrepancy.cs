using System.Runtime.CompilerServices;
using Harness.Model;

namespace Harness.Diagnosis;

/// <summary>
/// How far one tensor is from another, for ranking explanations: max abs and RMSE over the pairs where both are
/// finite, and the count of positions where the non-finite values do not coincide (NaN against NaN, or an infinity
/// against the same infinity, coincide; anything else with a non-finite side is a mismatch).
/// </summary>
public sealed record Discrepancy(double MaxAbs, double Rmse, long NonFiniteMismatches)
{
    public bool IsFinite => NonFiniteMismatches == 0;

    public static Discrepancy Between(HostTensor actual, HostTensor expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return Between(actual, expected.Shape, expected.Data);
    }

    /// <summary>The discrepancy of <paramref name="actual"/> from values of shape <paramref name="expectedShape"/> held elsewhere (a rerun's product in libtorch's memory).</summary>
    // Optimised at once (one call per pair of tensors; see ElementwisePass.Run).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Discrepancy Between(HostTensor actual, long[] expectedShape, ReadOnlySpan<double> expected)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expectedShape);
        if (!actual.Shape.AsSpan().SequenceEqual(expectedShape) || expected.Length != actual.Data.Length)
        {
            throw new ArgumentException($"cannot measure a discrepancy between shapes {actual.ShapeText} and [{string.Join(", ", expectedShape)}]");
        }

        // Invariant: one pass in index order (the RMSE's sum is order-dependent in its last bits, and reports print it);
        // the spans only let the loop run without re-reading the arrays and bounds per element.
        ReadOnlySpan<double> actualData = actual.Data;
        double maxAbs = 0, sumSq = 0;
        long finite = 0, nonFinite = 0;
        for (var i = 0; i < actualData.Length; i++)
        {
            var a = actualData[i];
            var e = expected[i];
            if (double.IsFinite(a) && double.IsFinite(e))
            {
                var d = Math.Abs(a - e);
                maxAbs = Math.Max(maxAbs, d);
                sumSq += d * d;
                finite++;
            }
            else if (!(double.IsNaN(a) && double.IsNaN(e)) && !a.Equals(e))
            {
                nonFinite++;
            }
        }

        return new Discrepancy(maxAbs, finite == 0 ? 0 : Math.Sqrt(sumSq / finite), nonFinite);
    }

    /// <summary>
    /// The fraction of <paramref name="baseline"/>'s error that this one removes: 1 − rmse/rmse(baseline), or, when the
    /// two differ in non-finite mismatches, 1 − mismatches/mismatches(baseline) (−1 when this one has non-finite
    /// mismatches the baseline had none of). 0 when the baseline has no error to remove. Negative = worse.
    /// </summary>
    public double FractionRemovedFrom(Discrepancy baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (NonFiniteMismatches != baseline.NonFiniteMismatches)
        {
            return baseline.NonFiniteMismatches == 0 ? -1 : 1 - ((double)NonFiniteMismatches / baseline.NonFiniteMismatches);
        }

        return baseline.Rmse == 0 ? 0 : 1 - (Rmse / baseline.Rmse);
    }
}
