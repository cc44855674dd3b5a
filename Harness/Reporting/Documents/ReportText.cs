using System.Globalization;
using Harness.Diagnosis.Invariants;

namespace Harness.Reporting.Documents;

/// <summary>The words and number formats both documents use, so Markdown and HTML say exactly the same thing.</summary>
internal static class ReportText
{
    public const string NotMeasured = "-";

    public static string Verdict(bool passed) => passed ? "PASS" : "FAIL";

    public static string Kind(TensorKind kind) => kind switch
    {
        TensorKind.Passed => "passed",
        TensorKind.Origin => "origin",
        TensorKind.Inherited => "inherited",
        TensorKind.IntroducesOwnError => "introduces own error",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown tensor kind"),
    };

    public static string Status(InvariantStatus status) => status switch
    {
        InvariantStatus.Passed => "pass",
        InvariantStatus.Failed => "FAIL",
        InvariantStatus.NotApplicable => "n/a",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown invariant status"),
    };

    public static string Number(double value) => TensorDumpNumbers.Number(value);

    /// <summary>NaN means no budget judged, which is shown as not measured rather than "n/a" so it reads like the console table.</summary>
    public static string BudgetUsed(double used) => double.IsNaN(used) ? NotMeasured : TensorDumpNumbers.Fraction(used);

    public static string ErrorRemoved(double percent) =>
        double.IsFinite(percent) ? percent.ToString("0.#", CultureInfo.InvariantCulture) + "%" : Number(percent);

    public static string YesNo(bool value) => value ? "yes" : "no";

    public static string OrDash(string text) => string.IsNullOrWhiteSpace(text) ? NotMeasured : text;

    public static string Tally(ReportModel model)
    {
        var failing = model.Tensors.Count(t => !t.Passed);
        return failing == 0
            ? $"all {model.Tensors.Count} tensors within budget"
            : $"{failing} of {model.Tensors.Count} tensors fail";
    }
}
