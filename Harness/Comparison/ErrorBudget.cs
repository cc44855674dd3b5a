using System.Globalization;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// Judges a low-precision kernel tensor the way FlashAttention's and PyTorch dynamo's tests do: not against a fixed
/// tolerance, but against the error an honest implementation in the kernel's working dtype already makes.
///
/// With truth = the reference in float64 from the same rounded inputs and weights, ref_lowp = the reference run in
/// the kernel's dtype, and step = one ULP of the kernel's dtype at max|truth| (float32's ULP for the float32
/// accumulator tensors):
///   max abs budget = 2·max|ref_lowp − truth| + 2·step
///   rmse budget    = 2·rmse(ref_lowp − truth) + 2·step/√3
/// The kernel passes when its max abs error and its RMSE against the truth are both within budget.
/// The factor 2 admits a kernel that orders its arithmetic differently from the reference (and so loses as much
/// again); the 2·step term keeps the budget positive where the reference happens to be exact. The RMSE allowance's
/// step term is the max allowance's scaled by 1/√3, the RMS of an error spread uniformly over [−step, step]: the
/// two budgets then ask the same thing of a kernel that is off by at most one step everywhere, while a kernel that
/// is off by a whole step on every element (a biased rounding) is caught by the RMSE even though its max is allowed.
/// An explicit per-tensor tolerance replaces the budget: then every element must satisfy |a − e| ≤ atol + rtol·|e|.
/// </summary>
public static class ErrorBudget
{
    /// <param name="stepScale">
    /// Where one rounding step is measured, when the tensor's own magnitude is the wrong place: an accumulator such as
    /// Σx of a LayerNorm row can cancel to near zero while each of its summands carries a rounding step of the kernel's
    /// dtype (see <see cref="AccumulatorScales"/>). Null: one step of the kernel's dtype (float32 for accumulators) at
    /// max|truth|.
    /// </param>
    public static TensorVerdict Judge(string name, HostTensor kernel, HostTensor truth, HostTensor referenceLowPrecision, Tolerance? explicitOverride = null, StepScale? stepScale = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a judged tensor needs a name", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(kernel, $"{nameof(kernel)} ('{name}')");
        ArgumentNullException.ThrowIfNull(truth, $"{nameof(truth)} ('{name}')");
        ArgumentNullException.ThrowIfNull(referenceLowPrecision, $"{nameof(referenceLowPrecision)} ('{name}')");

        var limits = Limits(name, kernel.Dtype, truth, referenceLowPrecision, stepScale);
        var (referenceError, stepDtype, step, maxAbsBudget, rmseBudget, budgetUsable) =
            (limits.ReferenceError, limits.StepDtype, limits.Step, limits.MaxAbsBudget, limits.RmseBudget, limits.Usable);

        var tolerance = explicitOverride ?? (budgetUsable ? new Tolerance(maxAbsBudget, 0) : Tolerance.Exact);
        var comparison = TensorComparer.Compare(name, kernel, truth, tolerance, referenceError.ExpectedStats);
        var kernelFinite = comparison.ShapesMatch && comparison.FinitePairCount == comparison.ElementCount;
        var maxAbsUsed = kernelFinite ? comparison.MaxAbs / maxAbsBudget : double.PositiveInfinity;
        var rmseUsed = kernelFinite ? comparison.Rmse / rmseBudget : double.PositiveInfinity;
        var used = Math.Max(maxAbsUsed, rmseUsed);

        var (passed, reason) = explicitOverride is not null
            ? (comparison.Passed, $"explicit tolerance: {comparison.Reason}")
            : BudgetVerdict(name, comparison, referenceError, budgetUsable, maxAbsBudget, rmseBudget, maxAbsUsed, rmseUsed);

        return new TensorVerdict
        {
            Name = name,
            Comparison = comparison,
            ReferenceError = referenceError,
            StepDtype = stepDtype,
            Step = step,
            MaxAbsBudget = budgetUsable ? maxAbsBudget : double.NaN,
            RmseBudget = budgetUsable ? rmseBudget : double.NaN,
            MaxAbsUsed = budgetUsable ? maxAbsUsed : double.NaN,
            RmseUsed = budgetUsable ? rmseUsed : double.NaN,
            BudgetUsed = budgetUsable ? used : double.NaN,
            ExplicitOverride = explicitOverride,
            Passed = passed,
            Reason = reason,
        };
    }

    /// <summary>
    /// The budget of one tensor, before any kernel is looked at: the low-precision reference's error against the truth
    /// and the two allowances derived from it. Shared by element-wise judging and by the statistics judge (which
    /// derives its own allowances from these, see <see cref="StatisticsJudge"/>).
    /// </summary>
    public static BudgetLimits Limits(string name, ElementType kernelDtype, HostTensor truth, HostTensor referenceLowPrecision, StepScale? stepScale = null)
    {
        var referenceError = TensorComparer.Compare(name, referenceLowPrecision, truth, Tolerance.Exact);
        var stepDtype = stepScale?.Dtype ?? (TensorNames.IsFloat32Accumulator(name) ? ElementType.Float32 : kernelDtype);
        var step = stepScale?.Step ?? Ulp.SizeAt(stepDtype, referenceError.ExpectedStats.MaxMagnitude);
        return new BudgetLimits(
            referenceError,
            stepDtype,
            step,
            (2 * referenceError.MaxAbs) + (2 * step),
            (2 * referenceError.Rmse) + (2 * step / Math.Sqrt(3)),
            referenceError.ShapesMatch && referenceError.FinitePairCount == referenceError.ElementCount);
    }

    private static (bool Passed, string Reason) BudgetVerdict(
        string name, TensorComparison comparison, TensorComparison referenceError, bool budgetUsable,
        double maxAbsBudget, double rmseBudget, double maxAbsUsed, double rmseUsed)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!referenceError.ShapesMatch)
        {
            return (false, $"{name}: no budget: referenceLowPrecision shape {FormatShape(referenceError.ActualStats.Shape)} differs from truth shape {FormatShape(referenceError.Shape)}");
        }

        if (!comparison.Passed && comparison.FinitePairCount < comparison.ElementCount)
        {
            return (false, comparison.Reason);
        }

        if (!budgetUsable)
        {
            var nonFinite = referenceError.ElementCount - referenceError.FinitePairCount;
            return (false, string.Create(inv,
                $"{name}: no budget: the low-precision reference or the truth has {nonFinite} NaN/infinite elements; give this tensor an explicit tolerance"));
        }

        if (!comparison.ShapesMatch)
        {
            return (false, comparison.Reason);
        }

        var withinMax = comparison.MaxAbs <= maxAbsBudget;
        var withinRmse = comparison.Rmse <= rmseBudget;
        var verdict = withinMax && withinRmse ? "within budget" : "over budget";
        return (withinMax && withinRmse, string.Create(inv,
            $"{name}: {verdict}: max abs {comparison.MaxAbs:G6} vs budget {maxAbsBudget:G6} (used {maxAbsUsed:G3}), rmse {comparison.Rmse:G6} vs budget {rmseBudget:G6} (used {rmseUsed:G3})"));
    }

    private static string FormatShape(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}

/// <summary>One tensor's error budget: max abs and RMSE allowances; unusable when the low-precision reference or the truth is not finite.</summary>
public sealed record BudgetLimits(TensorComparison ReferenceError, ElementType StepDtype, double Step, double MaxAbsBudget, double RmseBudget, bool Usable);
