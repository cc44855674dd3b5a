namespace Harness.Isolation;

/// <summary>
/// One error compute-sanitizer reported: its headline (e.g. "Invalid __global__ write of size 4 bytes", "Race reported
/// between Write access ... and Read access ..."), where (the "at ..." line: offset, file:line, kernel), which thread
/// and block where it says, and its other indented lines (address, allocation, hazard count), host frames left out.
/// </summary>
public sealed record SanitizerFinding(string Headline, string? Location, string? Thread, IReadOnlyList<string> Details)
{
    /// <summary>A failed CUDA API call on the host ("Program hit cudaError... on CUDA API call to ..."), not an access by a kernel.</summary>
    public bool IsApiError => Headline.StartsWith("Program hit ", StringComparison.Ordinal);
}

/// <summary>
/// What one compute-sanitizer tool said about one run: its findings in the order printed, and its summary line's
/// counts (ERROR SUMMARY: n errors; racecheck's RACECHECK SUMMARY: n hazards displayed (e errors, w warnings)).
/// <see cref="SummarySeen"/> is false when the output ended without a summary (the tool or the run died).
/// </summary>
public sealed record SanitizerReport(string Tool, IReadOnlyList<SanitizerFinding> Findings, int Errors, int Warnings, bool SummarySeen)
{
    /// <summary>What kernels did (accesses, hazards, barriers); failed host API calls are listed apart.</summary>
    public IReadOnlyList<SanitizerFinding> KernelFindings => [.. Findings.Where(f => !f.IsApiError)];

    public IReadOnlyList<SanitizerFinding> ApiErrors => [.. Findings.Where(f => f.IsApiError)];

    /// <summary>
    /// Clean: the summary was printed and no kernel finding was listed. Failed host API calls alone do not make a run
    /// unclean (libtorch's own start-up may probe with calls that fail); they are shown beside the verdict.
    /// </summary>
    public bool Clean => SummarySeen && KernelFindings.Count == 0;
}
