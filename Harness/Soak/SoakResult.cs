namespace Harness.Soak;

/// <summary>One case's outcome: every judged tensor's budget used (≤ 1 passes; +∞ for NaN/Inf), and whether it passed.</summary>
public sealed record SoakOutcome(string Case, string Scenario, int Seed, string Semantics, bool Passed, IReadOnlyList<(string Tensor, double BudgetUsed)> Tensors);

/// <summary>A tensor of an honest variant that failed its budget in some case: a false alarm of the budget model.</summary>
public sealed record FalseAlarm(string Case, string Tensor, double BudgetUsed);

/// <summary>A soak run: the variant, its cases' outcomes, the per-tensor distributions (dataflow order) and the false alarms.</summary>
public sealed record SoakResult(string Variant, ShardSpec Shard, int Seeds, IReadOnlyList<string> Shapes, IReadOnlyList<SoakOutcome> Outcomes)
{
    public IReadOnlyList<BudgetDistribution> Distributions { get; } = Outcomes
        .SelectMany(o => o.Tensors.Select(t => (o.Semantics, t.Tensor, t.BudgetUsed)))
        .GroupBy(x => (x.Semantics, x.Tensor))
        .OrderBy(g => g.Key.Semantics, StringComparer.Ordinal).ThenBy(g => Harness.Model.TensorNames.OrderOf(g.Key.Tensor))
        .Select(g => BudgetDistribution.Of(g.Key.Semantics, g.Key.Tensor, g.Select(x => x.BudgetUsed).ToList()))
        .ToList();

    public IReadOnlyList<FalseAlarm> FalseAlarms { get; } = Outcomes
        .SelectMany(o => o.Tensors.Where(t => !(t.BudgetUsed <= 1)).Select(t => new FalseAlarm(o.Case, t.Tensor, t.BudgetUsed)))
        .ToList();
}
