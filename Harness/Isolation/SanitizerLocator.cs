namespace Harness.Isolation;

/// <summary>compute-sanitizer is not installed where the harness looks (a user error: exit 2 with the places looked at).</summary>
public sealed class SanitizerUnavailableException(string message) : Exception(message);

/// <summary>
/// Finds compute-sanitizer: <see cref="EnvironmentVariable"/> when set (it must name an existing file), else the first
/// `compute-sanitizer` on PATH, else the CUDA toolkit's default folder.
/// </summary>
public static class SanitizerLocator
{
    public const string EnvironmentVariable = "HARNESS_COMPUTE_SANITIZER";

    public const string ProgramName = "compute-sanitizer";

    public static readonly string ToolkitFolder = "/usr/local/cuda/bin";

    public static string Locate() => Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.GetEnvironmentVariable("PATH"), [ToolkitFolder]);

    /// <param name="explicitPath">The environment variable's value, or null.</param>
    /// <param name="pathVariable">PATH's value, or null.</param>
    /// <param name="fallbackFolders">Folders looked at after PATH.</param>
    public static string Locate(string? explicitPath, string? pathVariable, IReadOnlyList<string> fallbackFolders)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new SanitizerUnavailableException($"{EnvironmentVariable} names {explicitPath}, which does not exist");
        }

        var folders = (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(fallbackFolders).ToList();
        return folders.Select(f => Path.Combine(f, ProgramName)).FirstOrDefault(File.Exists)
            ?? throw new SanitizerUnavailableException(
                $"{ProgramName} was not found on PATH or in {string.Join(", ", fallbackFolders)} (install the CUDA toolkit's compute-sanitizer, or set {EnvironmentVariable})");
    }
}
