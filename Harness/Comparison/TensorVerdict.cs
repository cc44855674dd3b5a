using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// The judgement of one kernel tensor: its comparison with the float64 truth, the low-precision reference's own error
/// against the same truth, the error budgets derived from it, how much of them the kernel used, and the verdict.
/// </summary>
public sealed record TensorVerdict
{
    public required string Name { get; init; }

    /// <summary>Kernel vs truth (its tolerance is the explicit override, or atol = <see cref="MaxAbsBudget"/>, rtol 0).</summary>
    public required TensorComparison Comparison { get; init; }

    /// <summary>Low-precision reference vs truth, compared exactly: what an honest implementation in the kernel's dtype loses.</summary>
    public required TensorComparison ReferenceError { get; init; }

    /// <summary>The dtype whose rounding step sets the ULP allowance (float32 for accumulator tensors).</summary>
    public required ElementType StepDtype { get; init; }

    /// <summary>One ULP of <see cref="StepDtype"/> at the truth's largest magnitude.</summary>
    public required double Step { get; init; }

    /// <summary>2·max|ref_lowp − truth| + 2·step.</summary>
    public required double MaxAbsBudget { get; init; }

    /// <summary>2·rmse(ref_lowp − truth) + 2·step/√3.</summary>
    public required double RmseBudget { get; init; }

    /// <summary>Kernel max abs error / <see cref="MaxAbsBudget"/>.</summary>
    public required double MaxAbsUsed { get; init; }

    /// <summary>Kernel RMSE / <see cref="RmseBudget"/>.</summary>
    public required double RmseUsed { get; init; }

    /// <summary>The larger of the two used fractions (≤ 1 within budget); +∞ when the kernel has NaN or infinity.</summary>
    public required double BudgetUsed { get; init; }

    /// <summary>The scenario's per-tensor tolerance when it overrides the budget; null when the budget judged.</summary>
    public required Tolerance? ExplicitOverride { get; init; }

    public required bool Passed { get; init; }

    /// <summary>One line saying why it passed or failed.</summary>
    public required string Reason { get; init; }
}
