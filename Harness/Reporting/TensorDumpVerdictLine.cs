using Harness.Comparison;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>The one report line per judged tensor (also the failure message of conformance assertions).</summary>
public static class TensorDumpVerdictLine
{
    /// <summary>
    /// "PASS|FAIL name: max abs …, budget … (used …), rmse …, budget … (used …), mismatch …, worst at [...] (flat …): kernel … vs truth …",
    /// with the explicit tolerance in place of the budgets when one overrode them, and the verdict's reason appended
    /// when the numbers alone do not explain a failure (NaN, infinity, shapes, no usable budget).
    /// </summary>
    public static string Render(TensorVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var c = verdict.Comparison;
        var judgedBy = verdict.ExplicitOverride is { } tolerance
            ? $"explicit {tolerance}"
            : $"budget {Number(verdict.MaxAbsBudget)} (used {Fraction(verdict.MaxAbsUsed)}), rmse {Number(c.Rmse)}, budget {Number(verdict.RmseBudget)} (used {Fraction(verdict.RmseUsed)})";
        var worst = c.Worst is { } w
            ? $", worst at {Shape(w.Index)} (flat {w.Flat}): kernel {Number(w.Actual)} vs truth {Number(w.Expected)}"
            : string.Empty;
        var numbersExplain = c.ShapesMatch && c.FinitePairCount == c.ElementCount
            && (verdict.ExplicitOverride is not null || !double.IsNaN(verdict.BudgetUsed));
        var cause = numbersExplain ? string.Empty : $"; {verdict.Reason}";

        return $"{(verdict.Passed ? "PASS" : "FAIL")} {verdict.Name}: max abs {Number(c.MaxAbs)}, {judgedBy}, " +
            $"mismatch {Percent(c.MismatchPercent)} ({c.MismatchCount} of {c.ElementCount}){worst}{cause}";
    }
}
