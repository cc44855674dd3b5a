using System.Runtime.CompilerServices;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// Summary statistics of one tensor, computed in float64. Min, Max, Mean and Std (population) are over the finite
/// values only (NaN when there is none); NaN and ±infinity are counted apart so they are never averaged away.
/// </summary>
public sealed record TensorStatistics
{
    /// <summary>The number of leading values kept for dumps.</summary>
    public const int LeadingValueCount = 10;

    // Blocks small enough to stay in cache: each is read twice (sum, then squared deviations) and merged.
    private const int BlockSize = 1024;

    public required IReadOnlyList<long> Shape { get; init; }

    public required ElementType Dtype { get; init; }

    public required long Count { get; init; }

    public required long FiniteCount { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    public required double Mean { get; init; }

    public required double Std { get; init; }

    public required long NaNCount { get; init; }

    public required long PositiveInfinityCount { get; init; }

    public required long NegativeInfinityCount { get; init; }

    /// <summary>The first ten values in row-major order (fewer when the tensor is smaller).</summary>
    public required IReadOnlyList<double> First10 { get; init; }

    public long InfinityCount => PositiveInfinityCount + NegativeInfinityCount;

    /// <summary>The largest finite magnitude, max(|Min|, |Max|); 0 when no value is finite.</summary>
    public double MaxMagnitude => FiniteCount == 0 ? 0 : Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>
    /// One pass over memory: each block of values gets an exact-as-possible mean and sum of squared deviations
    /// (two sweeps of a cached block, with the correction term that cancels the block mean's own rounding), and
    /// blocks are merged with Chan et al.'s pairwise update, which stays stable when the mean dwarfs the spread.
    /// </summary>
    // Optimised at once (one call per tensor; see ElementwisePass.Run).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TensorStatistics Of(HostTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var data = tensor.Data;
        long finite = 0, nan = 0, positiveInfinity = 0, negativeInfinity = 0;
        double mean = 0, squaredDeviations = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;

        for (var start = 0; start < data.Length; start += BlockSize)
        {
            var end = Math.Min(start + BlockSize, data.Length);
            long blockCount = 0;
            double blockSum = 0;
            for (var i = start; i < end; i++)
            {
                var x = data[i];
                if (double.IsFinite(x))
                {
                    blockCount++;
                    blockSum += x;
                    min = Math.Min(min, x);
                    max = Math.Max(max, x);
                }
                else if (double.IsNaN(x))
                {
                    nan++;
                }
                else if (x > 0)
                {
                    positiveInfinity++;
                }
                else
                {
                    negativeInfinity++;
                }
            }

            if (blockCount == 0)
            {
                continue;
            }

            var blockMean = blockSum / blockCount;
            double deviationSum = 0, deviationSquares = 0;
            for (var i = start; i < end; i++)
            {
                var x = data[i];
                if (double.IsFinite(x))
                {
                    var d = x - blockMean;
                    deviationSum += d;
                    deviationSquares += d * d;
                }
            }

            var blockSquaredDeviations = deviationSquares - (deviationSum * deviationSum / blockCount);
            var merged = finite + blockCount;
            var delta = blockMean - mean;
            mean += delta * blockCount / merged;
            squaredDeviations += blockSquaredDeviations + (delta * delta * ((double)finite * blockCount / merged));
            finite = merged;
        }

        var leading = new double[Math.Min(LeadingValueCount, data.Length)];
        Array.Copy(data, leading, leading.Length);

        return new TensorStatistics
        {
            Shape = (long[])tensor.Shape.Clone(),
            Dtype = tensor.Dtype,
            Count = data.LongLength,
            FiniteCount = finite,
            Min = finite == 0 ? double.NaN : min,
            Max = finite == 0 ? double.NaN : max,
            Mean = finite == 0 ? double.NaN : mean,
            Std = finite == 0 ? double.NaN : Math.Sqrt(Math.Max(squaredDeviations, 0) / finite),
            NaNCount = nan,
            PositiveInfinityCount = positiveInfinity,
            NegativeInfinityCount = negativeInfinity,
            First10 = leading,
        };
    }
}
