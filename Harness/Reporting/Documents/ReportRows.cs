using Harness.Diagnosis.Invariants;

namespace Harness.Reporting.Documents;

/// <summary>One reference-free check on one tensor.</summary>
public sealed record InvariantRow(string Name, string Tensor, InvariantStatus Status, string Detail);

/// <summary>
/// One stage run in isolation on the reference's inputs: the error it introduces itself (max abs and the share of its
/// budget that uses) against the error it inherits from earlier stages in the full run. Budget used is NaN when the
/// stage had no usable budget.
/// </summary>
public sealed record StageRow(
    string Stage,
    IReadOnlyList<string> Outputs,
    double IntroducedMaxAbs,
    double IntroducedBudgetUsed,
    double InheritedMaxAbs,
    bool Passed,
    string Verdict);

/// <summary>One ranked explanation of a tensor's error: how much of the error modelling it removes, and whether that explains it.</summary>
public sealed record HypothesisRow(int Rank, string Name, string Description, double ErrorRemovedPercent, bool Explains, string Detail);
