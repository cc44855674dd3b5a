namespace Harness.Isolation;

/// <summary>
/// One error compute-sanitizer reported: its headline (e.g. "Invalid __global__ write of size 4 bytes", "Race reported
/// between Write access ... and Read access ..."), where (the "at ..." line: offset, file:line, kernel), which thread
/// and block where it says, and its other indented lines (address, allocation, hazard count), host frames left out.
/// </summary>
public sealed record SanitizerFinding(string Headline, string? Location, string? Thread, IReadOnlyList<string> Details);

/// <summary>
/// What one compute-sanitizer tool said about one run: its findings in the order printed, and its summary line's
/// counts (ERROR SUMMARY: n errors; racecheck's RACECHECK SUMMARY: n hazards displayed (e errors, w warnings)).
/// <see cref="SummarySeen"/> is false when the output ended without a summary (the tool or the run died).
/// </summary>
public sealed record SanitizerReport(string Tool, IReadOnlyList<SanitizerFinding> Findings, int Errors, int Warnings, bool SummarySeen)
{
    /// <summary>Clean: the summary was printed and counts no error and no finding was listed.</summary>
    public bool Clean => SummarySeen && Errors == 0 && Findings.Count == 0;
}
