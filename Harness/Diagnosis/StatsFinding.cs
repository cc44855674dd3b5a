namespace Harness.Diagnosis;

/// <summary>
/// One finding of a statistics-log diagnosis, as data; Reporting words it (Harness/Reporting/StatsFindingText.cs).
/// </summary>
public abstract record StatsFinding;

/// <summary>No logged tensor could be judged: each depends on an input or weight that is not the scenario's.</summary>
public sealed record NothingComparable : StatsFinding;

/// <summary>Every comparable logged tensor (<paramref name="Comparable"/> of them) keeps its statistics within the allowances.</summary>
public sealed record StatisticsWithinAllowances(int Comparable, string ReferenceSemantics) : StatsFinding;

/// <summary>The first failing comparable tensor in dataflow order.</summary>
public sealed record StatisticsFirstDivergence(string Tensor, string ReferenceSemantics, string Scenario) : StatsFinding;

/// <summary>How far statistics take a stage with failing tensors.</summary>
public enum StatsStageOutcome
{
    /// <summary>An upstream tensor failed and its statistics do not determine it: introduced and inherited error cannot be told apart.</summary>
    NotIsolable,

    /// <summary>At least one hypothesis reproduces the logged statistics.</summary>
    Explained,

    /// <summary>The reference stage on the log's upstream matches: the error is inherited.</summary>
    Inherited,

    /// <summary>The stage introduces error and no hypothesis explains its statistics.</summary>
    Unexplained,
}

/// <summary>A stage with failing tensors, what statistics can say of it and the explaining hypotheses (names, best first).</summary>
public sealed record StatsStageFinding(string Stage, IReadOnlyList<string> FailingTensors, StatsStageOutcome Outcome, IReadOnlyList<string> ExplainedBy) : StatsFinding;

/// <summary>A logged tensor not judged, with the reason (an operand that is not the scenario's).</summary>
public sealed record TensorNotComparable(string Tensor, string Reason) : StatsFinding;
