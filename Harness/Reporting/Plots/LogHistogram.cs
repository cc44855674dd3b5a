namespace Harness.Reporting.Plots;

/// <summary>
/// Counts of log10 |error| in fixed-width bins aligned to multiples of the bin width, with exact zeros and non-finite
/// errors kept apart (they have no logarithm).
/// </summary>
public sealed record LogHistogram(double[] Centers, long[] Counts, long Zeros, long NonFinite, double ZeroPosition)
{
    public static LogHistogram From(IReadOnlyList<double> absErrors, double binWidth)
    {
        long zeros = 0;
        long nonFinite = 0;
        var logs = new List<double>(absErrors.Count);
        foreach (var e in absErrors)
        {
            if (!double.IsFinite(e))
            {
                nonFinite++;
            }
            else if (e == 0)
            {
                zeros++;
            }
            else
            {
                logs.Add(Math.Log10(Math.Abs(e)));
            }
        }

        if (logs.Count == 0)
        {
            return new LogHistogram([], [], zeros, nonFinite, 0);
        }

        var first = Math.Floor(logs.Min() / binWidth);
        var last = Math.Floor(logs.Max() / binWidth);
        var counts = new long[(int)(last - first) + 1];
        foreach (var l in logs)
        {
            counts[(int)(Math.Floor(l / binWidth) - first)]++;
        }

        var centers = Enumerable.Range(0, counts.Length).Select(i => (first + i + 0.5) * binWidth).ToArray();

        // Zeros sit one empty bin left of the smallest error, so the gap shows they are not part of the log scale.
        return new LogHistogram(centers, counts, zeros, nonFinite, centers[0] - 2 * binWidth);
    }
}
