using Harness.Dumps;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>A layer parameter or the input as the log printed it, against the scenario's.</summary>
/// <param name="Disagreement">Why the log's values are not the scenario's (null when they agree).</param>
public sealed record LoggedOperand(string Name, LoggedTensor Logged, TensorStatistics Scenario, string? Disagreement)
{
    public bool Agrees => Disagreement is null;
}

/// <summary>
/// The outcome of judging a statistics log: per tensor, its printed statistics against the reference's, in dataflow
/// order; the logged parameters and input checked against the scenario's; the names no map knew.
/// </summary>
public sealed record StatsLogVerification
{
    public required string Source { get; init; }

    public required string ScenarioName { get; init; }

    public required LayerShape Shape { get; init; }

    public required ElementType KernelDtype { get; init; }

    public required LayerSemantics ReferenceSemantics { get; init; }

    public required int AccumulationGroup { get; init; }

    /// <summary>The setup, rounded to the kernel's dtype.</summary>
    public required VerificationSetup Setup { get; init; }

    public required IReadOnlyDictionary<string, HostTensor> Truth { get; init; }

    public required IReadOnlyDictionary<string, HostTensor> ReferenceLowPrecision { get; init; }

    /// <summary>Every logged canonical tensor but the input, in dataflow order.</summary>
    public required IReadOnlyList<StatisticsVerdict> Verdicts { get; init; }

    /// <summary>The logged layer input and parameters, checked against the scenario's.</summary>
    public required IReadOnlyList<LoggedOperand> Operands { get; init; }

    /// <summary>Names in the log no map knows: listed, not judged.</summary>
    public required IReadOnlyList<string> UnknownNames { get; init; }

    public StatisticsVerdict? FirstFailing => Verdicts.FirstOrDefault(v => v.Comparable && !v.Passed);

    /// <summary>At least one comparable tensor judged, none failed.</summary>
    public bool Passed => Verdicts.Any(v => v.Comparable) && FirstFailing is null;

    public StatisticsVerdict? Verdict(string name) => Verdicts.FirstOrDefault(v => v.Name == name);
}
