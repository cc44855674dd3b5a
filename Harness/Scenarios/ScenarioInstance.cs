using Harness.Model;

namespace Harness.Scenarios;

/// <summary>A scenario turned into values: what the reference and the kernels consume, plus what was set and why.</summary>
public sealed record ScenarioInstance
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required LayerShape Shape { get; init; }

    /// <summary>The kernel working dtype; inputs and weights are kept at full precision and rounded by each consumer.</summary>
    public required ElementType Dtype { get; init; }

    public required LayerSemantics Semantics { get; init; }

    public required int Seed { get; init; }

    public required LayerInputs Inputs { get; init; }

    public required LayerWeights Weights { get; init; }

    public required IReadOnlyDictionary<string, double> ActivationOverrides { get; init; }

    public required int? AccumulationGroup { get; init; }

    public required IReadOnlyDictionary<string, (double Atol, double Rtol)> Tolerances { get; init; }

    /// <summary>Human-readable lines saying what was set, e.g. "input := 0.125", "all biases := 0".</summary>
    public required IReadOnlyList<string> Settings { get; init; }

    public required ScenarioFacts Facts { get; init; }

    /// <summary>The scenario was materialised with non-finite weights or input allowed: verification judges only elements whose truth is finite.</summary>
    public bool NonFiniteAllowed { get; init; }

    /// <summary>The checkpoint actually used, or null when none was.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>The parsed scenario this came from.</summary>
    public required Scenario Scenario { get; init; }
}
