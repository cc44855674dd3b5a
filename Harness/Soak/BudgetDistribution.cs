namespace Harness.Soak;

/// <summary>The distribution of one tensor's budget used over every case of one semantics (nearest-rank percentiles).</summary>
public sealed record BudgetDistribution(string Semantics, string Tensor, int Cases, double Median, double P99, double Max)
{
    public static BudgetDistribution Of(string semantics, string tensor, IReadOnlyList<double> used)
    {
        ArgumentOutOfRangeException.ThrowIfZero(used.Count);
        var sorted = used.Order().ToArray();
        return new BudgetDistribution(semantics, tensor, sorted.Length, Rank(sorted, 0.5), Rank(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Nearest rank: the smallest value with at least fraction p of the values at or below it.</summary>
    private static double Rank(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
