using Harness.Model;

namespace Harness.Scenarios;

/// <summary>
/// A parsed scenario: what to feed one BERT layer and how to judge it. It holds descriptions, not values;
/// <see cref="ScenarioMaterializer.Materialize"/> turns it into tensors.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Where it came from, as error messages name it (a file name, or "embedded:name.json").</summary>
    public required string Source { get; init; }

    /// <summary>Directory that relative paths (checkpoint, input file) are resolved against; the working directory when null.</summary>
    public string? BaseDirectory { get; init; }

    public LayerShape Shape { get; init; } = LayerShape.BertBase384;

    /// <summary>The kernel working dtype.</summary>
    public ElementType Dtype { get; init; } = ElementType.Float16;

    public LayerSemantics Semantics { get; init; } = LayerSemantics.HuggingFace;

    public int Seed { get; init; } = 1;

    public int Layer { get; init; }

    public BaseWeights BaseWeights { get; init; } = BaseWeights.CheckpointOrSynthetic;

    /// <summary>The scenario's own checkpoint path (file or directory), if it names one.</summary>
    public string? Checkpoint { get; init; }

    public InputSpec Input { get; init; } = new GeneratedInput(new RandomValues(1, 1.0));

    /// <summary>Number of valid key positions per sequence; the rest are masked. Null: no mask.</summary>
    public int? ValidLength { get; init; }

    public IReadOnlyList<WeightOverride> WeightOverrides { get; init; } = [];

    /// <summary>Every ".bias" parameter (the seven linear biases and both LayerNorm betas) set to 0 after the overrides.</summary>
    public bool ZeroBiases { get; init; }

    /// <summary>Canonical tensor name → constant the reference substitutes for it after computing it.</summary>
    public IReadOnlyDictionary<string, double> ActivationOverrides { get; init; } = new Dictionary<string, double>();

    /// <summary>fp16 accumulation group k for kernels that emulate it (docs/SEMANTICS.md §4); null when the scenario does not say.</summary>
    public int? AccumulationGroup { get; init; }

    /// <summary>Per canonical tensor tolerance overrides.</summary>
    public IReadOnlyDictionary<string, (double Atol, double Rtol)> Tolerances { get; init; } = new Dictionary<string, (double Atol, double Rtol)>();

    public ScenarioInstance Materialize(MaterializeOptions options) => ScenarioMaterializer.Materialize(this, options);
}
