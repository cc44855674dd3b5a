namespace Harness.History;

/// <summary>One regression against the last entry: what, the value then and now, and their ratio.</summary>
public sealed record Regression(string Kind, string Key, double Before, double Now)
{
    public double Ratio => Now / Before;
}

/// <summary>A new entry compared with the last one: the regressions, and what each side had that the other lacked.</summary>
public sealed record RegressionReport(HistoryEntry? Last, IReadOnlyList<Regression> Regressions, IReadOnlyList<string> New, IReadOnlyList<string> Gone)
{
    public bool Regressed => Regressions.Count > 0;
}

/// <summary>
/// The nightly's comparison: a tensor whose budget use grew by more than <see cref="BudgetGrowth"/>× since the last
/// entry (even while it passes), or a bench median that grew by more than <see cref="BenchGrowth"/>×, is a regression.
/// Budget use below <see cref="BudgetFloor"/> counts as that floor: from a bit-exact 0 any rounding step would be an
/// infinite growth, and a change below 1% of the budget says nothing about the kernel.
/// </summary>
public static class RegressionCheck
{
    public const double BudgetGrowth = 1.5;

    public const double BenchGrowth = 1.10;

    public const double BudgetFloor = 0.01;

    public static RegressionReport Compare(HistoryEntry? last, HistoryEntry now)
    {
        ArgumentNullException.ThrowIfNull(now);
        if (last is null)
        {
            return new RegressionReport(null, [], [], []);
        }

        var regressions = new List<Regression>();
        var before = last.Budgets.GroupBy(b => b.Key).ToDictionary(g => g.Key, g => g.Max(b => b.BudgetUsed));
        foreach (var point in now.Budgets)
        {
            if (before.TryGetValue(point.Key, out var then) && !(point.BudgetUsed <= BudgetGrowth * Math.Max(then, BudgetFloor)))
            {
                regressions.Add(new Regression("budget used", point.Key, then, point.BudgetUsed));
            }
        }

        var benchBefore = last.Bench.GroupBy(b => b.Key).ToDictionary(g => g.Key, g => g.Min(b => b.MedianMicroseconds));
        foreach (var point in now.Bench)
        {
            if (benchBefore.TryGetValue(point.Key, out var then) && !(point.MedianMicroseconds <= BenchGrowth * then))
            {
                regressions.Add(new Regression("bench median (us)", point.Key, then, point.MedianMicroseconds));
            }
        }

        var keysThen = last.Budgets.Select(b => b.Key).Concat(last.Bench.Select(b => b.Key)).ToHashSet();
        var keysNow = now.Budgets.Select(b => b.Key).Concat(now.Bench.Select(b => b.Key)).ToHashSet();
        return new RegressionReport(last, regressions, [.. keysNow.Except(keysThen).Order()], [.. keysThen.Except(keysNow).Order()]);
    }
}
