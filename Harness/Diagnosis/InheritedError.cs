namespace Harness.Diagnosis;

/// <summary>
/// The error a stage's output carries in from upstream: the isolated recompute (the reference stage on the kernel's
/// own inputs) against the truth, measured against the verification's budget for that tensor.
/// </summary>
/// <param name="BudgetUsed">max(maxAbs / max-abs budget, rmse / rmse budget); +∞ when non-finite values differ, NaN when the verification had no usable budget.</param>
public sealed record InheritedError(double MaxAbs, double Rmse, long NonFiniteMismatches, double BudgetUsed)
{
    public bool Passes => BudgetUsed <= 1;
}
