using Harness.Diagnosis.Patterns;

namespace Harness.Reporting.Documents;

/// <summary>Where a tensor's error comes from, as the diagnosis classified it.</summary>
public enum TensorKind
{
    /// <summary>Within budget.</summary>
    Passed,

    /// <summary>The first failing tensor in dataflow order: the error starts here.</summary>
    Origin,

    /// <summary>Fails only because its inputs already do; its own stage is within budget.</summary>
    Inherited,

    /// <summary>Fails after an earlier failure and adds error of its own on top.</summary>
    IntroducesOwnError,
}

/// <summary>
/// One tensor's part of the report. Texts are shown verbatim (dumps in monospace); an empty dump is left out.
/// <see cref="Heatmap"/> and <see cref="AbsErrors"/> are plotted when the tensor fails (or the model plots all tensors);
/// null means there is nothing to plot.
/// </summary>
public sealed record TensorSection
{
    public required string Name { get; init; }

    public required bool Passed { get; init; }

    public required TensorKind Kind { get; init; }

    /// <summary>The one-line verdict (TensorDumpVerdictLine).</summary>
    public required string VerdictLine { get; init; }

    public required double MaxAbs { get; init; }

    /// <summary>The larger used budget fraction; NaN when no budget judged (explicit tolerance, shape mismatch).</summary>
    public required double BudgetUsed { get; init; }

    /// <summary>The element to look at, e.g. "[0, 3, 5]: kernel 0.25 vs truth 0.125"; empty when none.</summary>
    public string WorstElement { get; init; } = string.Empty;

    public IReadOnlyList<ReportFact> Metrics { get; init; } = [];

    public string ReferenceDump { get; init; } = string.Empty;

    public string KernelDump { get; init; } = string.Empty;

    public string SideBySide { get; init; } = string.Empty;

    /// <summary>Ranked best first.</summary>
    public IReadOnlyList<HypothesisRow> Hypotheses { get; init; } = [];

    public IReadOnlyList<string> PatternFindings { get; init; } = [];

    public ErrorHeatmap? Heatmap { get; init; }

    public double[]? AbsErrors { get; init; }
}
