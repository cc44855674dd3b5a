using Harness.Isolation;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>`harness sanitize`'s output: per tool, clean or its first findings (headline, where, which thread).</summary>
public static class SanitizerConsole
{
    /// <summary>How many findings of one tool are printed; the count says how many there were.</summary>
    public const int FirstFindings = 3;

    public static void Write(IAnsiConsole console, string variant, string scenario, IReadOnlyList<SanitizedRun> runs)
    {
        foreach (var run in runs)
        {
            console.WriteLine(Headline(variant, scenario, run));
            foreach (var finding in run.Report.KernelFindings.Concat(run.Report.ApiErrors).Take(FirstFindings))
            {
                console.WriteLine($"  {finding.Headline}");
                foreach (var line in new[] { finding.Location is null ? null : $"at {finding.Location}", finding.Thread is null ? null : $"by {finding.Thread}" }
                             .Concat(finding.Details.Take(2)).OfType<string>())
                {
                    console.WriteLine($"      {line}");
                }
            }
        }
    }

    /// <summary>One line per tool: clean, or the counts; a worker fault and a missing summary are said too.</summary>
    public static string Headline(string variant, string scenario, SanitizedRun run)
    {
        var r = run.Report;
        var verdict = r.Clean
            ? "clean"
            : !r.SummarySeen && r.KernelFindings.Count == 0
                ? "no summary (the tool or the run ended early)"
                : $"{r.KernelFindings.Count} kernel finding(s), summary {r.Errors} error(s){(r.Warnings > 0 ? $", {r.Warnings} warning(s)" : string.Empty)}";
        if (r.ApiErrors.Count > 0)
        {
            verdict += $"; {r.ApiErrors.Count} failed CUDA API call(s) on the host";
        }

        var fault = run.Run.Fault is { } f ? $"; the worker: {KernelFaultText.Describe(f, scenario, "run")}" : string.Empty;
        return $"{r.Tool} on {variant} ({scenario}): {verdict}{fault}";
    }
}
