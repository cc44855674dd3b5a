using Harness.Diagnosis;

namespace Harness.Reporting;

/// <summary>The words of a statistics-log diagnosis's findings: one line each, for the report and the JSON.</summary>
public static class StatsFindingText
{
    /// <summary>How many explaining hypotheses a stage line names before "…".</summary>
    private const int NamedHypotheses = 4;

    public static IReadOnlyList<string> Lines(IEnumerable<StatsFinding> findings) => findings.Select(Line).ToList();

    public static string Line(StatsFinding finding) => finding switch
    {
        NothingComparable => "nothing comparable was judged: every logged tensor depends on an input or weight that is not the scenario's",
        StatisticsWithinAllowances w => $"every comparable logged tensor ({w.Comparable}) keeps its statistics within the allowances against {w.ReferenceSemantics}",
        StatisticsFirstDivergence f => $"first divergence at {f.Tensor} (statistics against {f.ReferenceSemantics}, {f.Scenario})",
        StatsStageFinding s => Stage(s),
        TensorNotComparable n => $"{n.Tensor} not comparable: {n.Reason}",
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.GetType().Name, "a finding without words"),
    };

    private static string Stage(StatsStageFinding s)
    {
        var failing = string.Join(", ", s.FailingTensors);
        return s.Outcome switch
        {
            StatsStageOutcome.NotIsolable => $"{s.Stage}: {failing} fail; upstream not determined by the log, introduced and inherited error cannot be told apart",
            StatsStageOutcome.Explained =>
                $"{s.Stage}: {failing} explained by {string.Join(", ", s.ExplainedBy.Take(NamedHypotheses))}{(s.ExplainedBy.Count > NamedHypotheses ? ", …" : string.Empty)}",
            StatsStageOutcome.Inherited => $"{s.Stage}: {failing} inherit their error (the reference stage on the log's upstream matches)",
            _ => $"{s.Stage}: {failing} fail; no hypothesis explains the statistics",
        };
    }
}
