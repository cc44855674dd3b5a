using Harness.Diagnosis.Hypotheses;
using Harness.Diagnosis.Scenarios;

namespace Harness.Diagnosis;

/// <summary>A hypothesis recomputed on a stage and judged on the log's statistics with the tensor's own allowances.</summary>
/// <param name="BudgetUsed">The largest used fraction of any statistic's allowance over the stage's failing tensors (≤ 1: explains).</param>
public sealed record StatsHypothesis(string Name, HypothesisDescription Description, bool Explains, double BudgetUsed);

/// <summary>What the statistics say about one stage whose outputs fail.</summary>
/// <param name="Upstream">Where each tensor the stage reads came from ("attn.v: the log's own (constant 0.0121)").</param>
/// <param name="Isolable">False when an upstream tensor failed and its statistics do not determine it: then no hypothesis is tried.</param>
/// <param name="IntroducesError">Whether the reference stage on the same upstream misses the log (null when not isolable).</param>
public sealed record StatsStageDiagnosis(
    string Stage,
    IReadOnlyList<string> FailingTensors,
    IReadOnlyList<string> Upstream,
    bool Isolable,
    bool? IntroducesError,
    IReadOnlyList<StatsHypothesis> Hypotheses,
    IReadOnlyList<UnshowableHypothesis> Unshowable)
{
    public StatsHypothesis? Best => Hypotheses.FirstOrDefault(h => h.Explains);
}

/// <summary>The diagnosis of a statistics log: as far as statistics allow.</summary>
public sealed record StatsDiagnosis(
    Harness.Comparison.StatsLogVerification Verification,
    string? FirstDivergence,
    IReadOnlyList<StatsStageDiagnosis> Stages,
    IReadOnlyList<BlindSpot> BlindSpots,
    IReadOnlyList<string> StatisticsBlindSpots,
    IReadOnlyList<StatsFinding> Findings);
