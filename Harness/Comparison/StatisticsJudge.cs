using Harness.Dumps;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>One printed statistic against the reference's: the allowance it had and whether it kept to it.</summary>
public sealed record StatisticCheck(string Statistic, double Logged, double Reference, double Allowed)
{
    public double Difference => Math.Abs(Logged - Reference);

    /// <summary>NaN and infinities never pass (a NaN difference fails every comparison).</summary>
    public bool Passed => double.IsFinite(Logged) && Difference <= Allowed;

    /// <summary>Difference / allowance (∞ when not finite).</summary>
    public double Used => double.IsFinite(Logged) ? Difference / Allowed : double.PositiveInfinity;
}

/// <summary>The verdict on one tensor of a statistics log; <see cref="NotComparable"/> holds why it was not judged.</summary>
public sealed record StatisticsVerdict(string Name, LoggedTensor Logged, TensorStatistics Reference, BudgetLimits Budget, IReadOnlyList<StatisticCheck> Checks, string? NotComparable)
{
    public bool Comparable => NotComparable is null;

    /// <summary>Passed only when comparable and every statistic and first value kept to its allowance.</summary>
    public bool Passed => Comparable && Checks.All(c => c.Passed);

    public StatisticCheck? Worst => Checks.OrderByDescending(c => c.Used).FirstOrDefault();

    public double BudgetUsed => Checks.Count == 0 ? double.NaN : Checks.Max(c => c.Used);
}

/// <summary>
/// Judges a tensor known only by its printed statistics against the reference, with allowances derived from the same
/// error budget that judges elements (<see cref="ErrorBudget.Limits"/>): a kernel within the max-abs budget A and the
/// RMSE budget R element by element has
///   |min − min_ref| ≤ A and |max − max_ref| ≤ A   (min and max move by at most the largest element error),
///   |mean − mean_ref| ≤ mean|e| ≤ rmse(e) ≤ R       (the mean of the error, bounded by its RMS),
///   |std − std_ref| ≤ rmse(e) ≤ R                   (centring is a projection, so the centred RMS distance of two
///                                                    tensors is at most their RMS distance: triangle inequality),
///   |value_i − ref_i| ≤ A for each of the first values.
/// Each allowance is widened by the printed number's resolution (half a unit in its last digit). So a statistic out of
/// its allowance proves the element budget was broken; all within proves only that the statistics cannot tell.
/// A log's unbiased Std (C++/Python styles) is converted to the population one first.
/// </summary>
public static class StatisticsJudge
{
    /// <param name="referenceFirst">The truth's first values in the log's layout.</param>
    public static IReadOnlyList<StatisticCheck> Checks(LoggedTensor logged, TensorStatistics truth, IReadOnlyList<double> referenceFirst, BudgetLimits budget)
    {
        var a = budget.MaxAbsBudget;
        var r = budget.RmseBudget;
        var checks = new List<StatisticCheck>
        {
            new("min", logged.Min.Value, truth.Min, a + logged.Min.Resolution),
            new("max", logged.Max.Value, truth.Max, a + logged.Max.Resolution),
            new("mean", logged.Mean.Value, truth.Mean, r + logged.Mean.Resolution),
            new("std", logged.PopulationStd, truth.Std, r + logged.Std.Resolution),
        };
        for (var i = 0; i < logged.First.Count && i < referenceFirst.Count; i++)
        {
            checks.Add(new StatisticCheck($"value[{i}]", logged.First[i].Value, referenceFirst[i], a + logged.First[i].Resolution));
        }

        return checks;
    }
}
