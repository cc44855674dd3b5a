namespace Harness.Scenarios;

/// <summary>
/// Structured facts about a materialised scenario, read from its values rather than its JSON, so that a diagnosis can
/// say two scenarios are not comparable or what a scenario cannot detect (a constant input hides row permutations,
/// constant weights hide transposes, zero biases hide a missing bias add).
/// </summary>
public sealed record ScenarioFacts
{
    /// <summary>Every input element has the same value.</summary>
    public required bool InputIsConstant { get; init; }

    /// <summary>"constant", "random", "pattern", "file" or "text".</summary>
    public required string InputKind { get; init; }

    /// <summary>LayerWeights parameter suffix → its value, for every parameter whose elements are all equal.</summary>
    public required IReadOnlyDictionary<string, double> WeightsConstant { get; init; }

    /// <summary>All nine ".bias" parameters (seven linear biases, two LayerNorm betas) are zero.</summary>
    public required bool BiasesZero { get; init; }

    /// <summary>Canonical tensors the reference replaces by constants, in dataflow order.</summary>
    public required IReadOnlyList<string> OverriddenActivations { get; init; }

    /// <summary>Some key positions are masked.</summary>
    public required bool HasPadding { get; init; }

    /// <summary>"checkpoint" or "synthetic": where the weights not overridden came from.</summary>
    public required string WeightsSource { get; init; }

    /// <summary>The scenario allowed a checkpoint, none was given, and synthetic weights were used instead.</summary>
    public required bool FellBackToSynthetic { get; init; }

    public bool IsWeightConstant(string suffix) => WeightsConstant.ContainsKey(suffix);
}
