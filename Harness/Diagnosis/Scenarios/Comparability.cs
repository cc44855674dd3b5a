using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Which run a difference speaks of: its scenario name, with its source file when both runs share a name, or its
/// place (1 or 2) when they share the source too.
/// </summary>
public sealed record RunLabel(string Name, string? Source = null, int? Run = null);

/// <summary>Whether two scenario runs may be compared number for number, and every setting in which they differ.</summary>
public sealed record Comparability(RunLabel A, RunLabel B, IReadOnlyList<ScenarioDifference> Differences)
{
    public bool Comparable => Differences.Count == 0;
}

/// <summary>One setting in which run A and run B of a <see cref="Comparability"/> differ.</summary>
public abstract record ScenarioDifference;

public sealed record ShapeDifference(LayerShape A, LayerShape B) : ScenarioDifference;

public sealed record DtypeDifference(ElementType A, ElementType B) : ScenarioDifference;

/// <summary>The semantics differ at <paramref name="Point"/>; A and B are the two runs' whole semantics.</summary>
public sealed record SemanticsDifference(SemanticsPointKind Point, LayerSemantics A, LayerSemantics B) : ScenarioDifference;

/// <summary>The fp16 accumulation group k each run sets (null: unset).</summary>
public sealed record AccumulationGroupDifference(int? A, int? B) : ScenarioDifference;

/// <summary>The inputs differ; when <paramref name="A"/> equals <paramref name="B"/> the same description drew different values.</summary>
public sealed record InputDifference(InputSpec A, InputSpec B) : ScenarioDifference;

public sealed record PaddingDifference(KeyPadding A, KeyPadding B) : ScenarioDifference;

/// <summary>
/// The seed case: run A (<paramref name="FirstSets"/>) or run B sets <paramref name="Set"/>, while the other run leaves
/// those weights <paramref name="LeftAs"/> and overrides what they produce with <paramref name="Overrides"/> instead.
/// </summary>
public sealed record WeightsVersusActivations(bool FirstSets, IReadOnlyList<ParameterSet> Set, ParameterOrigin LeftAs, IReadOnlyList<ActivationOverride> Overrides)
    : ScenarioDifference;

/// <summary>The values of <paramref name="Parameters"/> differ; A and B say where each run took them from (equal: same origin, different values).</summary>
public sealed record WeightsDiffer(IReadOnlyList<LayerParameter> Parameters, ParameterOrigin A, ParameterOrigin B) : ScenarioDifference;

/// <summary>The activations each run overrides and the other does not override to the same value, in dataflow order.</summary>
public sealed record ActivationsDiffer(IReadOnlyList<ActivationOverride> A, IReadOnlyList<ActivationOverride> B) : ScenarioDifference;

/// <summary>The tolerance of <paramref name="Tensor"/>: (atol, rtol) in each run, null for the default.</summary>
public sealed record ToleranceDifference(string Tensor, (double Atol, double Rtol)? A, (double Atol, double Rtol)? B) : ScenarioDifference;

/// <summary>Parameters that take their values from one origin.</summary>
public sealed record ParameterSet(IReadOnlyList<LayerParameter> Parameters, ParameterOrigin Origin);

/// <summary>A scenario's key mask: none, or <paramref name="ValidKeys"/> of <paramref name="Sequence"/> keys valid.</summary>
public sealed record KeyPadding(bool Masked, int ValidKeys, int Sequence)
{
    public static KeyPadding Of(ScenarioInstance s) => s.Scenario.ValidLength switch
    {
        null => new KeyPadding(false, 0, 0),
        { } v when v < s.Shape.Sequence => new KeyPadding(true, v, s.Shape.Sequence),
        _ => new KeyPadding(true, s.Shape.Sequence, s.Shape.Sequence),
    };
}


/// <summary>A scenario's override of one activation: the reference replaces <paramref name="Tensor"/> by <paramref name="Value"/>.</summary>
public sealed record ActivationOverride(string Tensor, double Value)
{
    /// <summary>The overrides of <paramref name="tensors"/> in <paramref name="s"/>, in the order given.</summary>
    public static IReadOnlyList<ActivationOverride> Of(ScenarioInstance s, IEnumerable<string> tensors) =>
        [.. tensors.Select(t => new ActivationOverride(t, s.ActivationOverrides[t]))];
}
