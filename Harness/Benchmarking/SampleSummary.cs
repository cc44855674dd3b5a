namespace Harness.Benchmarking;

/// <summary>
/// Median, 10th and 90th percentiles, minimum and maximum of a set of timing samples, in microseconds. Percentiles
/// interpolate linearly between the closest ranks (rank p·(n−1) of the sorted samples, NumPy's default), so the median
/// of an even count is the mean of the middle two.
/// </summary>
public sealed record SampleSummary(int Count, double Median, double P10, double P90, double Min, double Max)
{
    public static SampleSummary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("a summary needs at least one sample");
        }

        if (sorted.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("timing samples must be finite");
        }

        return new SampleSummary(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9), sorted[0], sorted[^1]);
    }

    /// <summary>The p-quantile (0 ≤ p ≤ 1) of samples sorted ascending.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0 || p is < 0 or > 1)
        {
            throw new ArgumentException($"percentile {p} of {sorted.Count} samples");
        }

        var rank = p * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
