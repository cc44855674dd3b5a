namespace Harness.Reporting.Documents;

/// <summary>
/// Everything a report document shows, already decided and computed by the diagnosis: the documents only lay it out.
/// Lists run in the order they are shown (findings most important first, tensors in dataflow order).
/// </summary>
public sealed record ReportModel
{
    public required string Title { get; init; }

    public string Subtitle { get; init; } = string.Empty;

    /// <summary>The overall verdict, shown as the badge beside the title.</summary>
    public required bool Passed { get; init; }

    /// <summary>Variant, scenario, shape, kernel and reference semantics, accumulation, dtype, kernel time, verdict…</summary>
    public IReadOnlyList<ReportFact> RunFacts { get; init; } = [];

    /// <summary>Plain-language conclusions, the most important first.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];

    public IReadOnlyList<BlindSpot> BlindSpots { get; init; } = [];

    /// <summary>Why (or how far) kernel and reference are comparable: semantics, accumulation, rounding points.</summary>
    public IReadOnlyList<string> ComparabilityNotes { get; init; } = [];

    public IReadOnlyList<InvariantRow> Invariants { get; init; } = [];

    public IReadOnlyList<StageRow> Stages { get; init; } = [];

    /// <summary>One section per compared tensor, in dataflow order.</summary>
    public IReadOnlyList<TensorSection> Tensors { get; init; } = [];

    /// <summary>Plot every tensor that has plot data; by default only failing tensors get their heatmap and histogram.</summary>
    public bool PlotAllTensors { get; init; }
}

/// <summary>One labelled value: a run fact ("variant", "cpu-souffle") or a metric row ("rmse", "1.2e-05").</summary>
public sealed record ReportFact(string Label, string Value);

/// <summary>Something the verification cannot see, and the defects that could hide there.</summary>
public sealed record BlindSpot(string Title, string Description, IReadOnlyList<string> HiddenDefects);
