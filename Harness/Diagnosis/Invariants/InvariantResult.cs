namespace Harness.Diagnosis.Invariants;

public enum InvariantStatus
{
    Passed,
    Failed,

    /// <summary>The tensors (or context) the check needs were not given: neither passed nor failed.</summary>
    NotApplicable,
}

/// <summary>
/// The outcome of one reference-free check on one tensor. <see cref="Worst"/> is the largest deviation seen (in the
/// check's own unit, named in <see cref="Detail"/>); NaN when the check did not run or met a NaN.
/// </summary>
public sealed record InvariantResult(string Name, string TensorName, InvariantStatus Status, InvariantDetail Detail, double Worst)
{
    public bool Passed => Status == InvariantStatus.Passed;

    public bool Failed => Status == InvariantStatus.Failed;

    public bool Applicable => Status != InvariantStatus.NotApplicable;

    public static InvariantResult NotApplicable(string name, string tensorName, InvariantDetail why) =>
        new(name, tensorName, InvariantStatus.NotApplicable, why, double.NaN);
}
