using Harness.Reporting;

namespace Harness.Cli;

/// <summary>
/// Checks, before any work, that the files and report directories a command will write can be written, and that
/// committed results (anything under a repository's results/) are not replaced without --force.
/// </summary>
public static class OutputTargets
{
    /// <summary>A file target (--json): not a directory or device, its folder creatable and writable.</summary>
    public static void CheckFile(string option, string path, bool force)
    {
        var full = Full(option, path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"{option} '{path}' is a directory; give a file path");
        }

        if (IsSpecial(full) || (File.Exists(full) && (File.GetAttributes(full) & FileAttributes.Device) != 0))
        {
            throw new ArgumentException($"{option} '{path}' is a device or system file, not a regular file it could write");
        }

        CheckCommitted(option, path, full, File.Exists(full), force);
        CheckWritableFolder(option, path, Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// A report directory (--report): new, empty, or holding an earlier report, whose files the new report replaces
    /// while other files beside it are kept (see <see cref="Reporting.ReportDirectory"/>); a folder holding no report is
    /// refused, so a report is never mixed into a folder of other files.
    /// </summary>
    public static void CheckReportDirectory(string option, string path, bool force)
    {
        var full = Full(option, path);
        if (File.Exists(full))
        {
            throw new ArgumentException($"{option} '{path}' is an existing file; give a directory");
        }

        var exists = Directory.Exists(full);
        if (exists && Directory.EnumerateFileSystemEntries(full).Any() && !ReportDirectory.Documents.Any(m => File.Exists(Path.Combine(full, m))))
        {
            throw new ArgumentException($"{option} '{path}' holds files that are not a harness report; give a new or empty directory");
        }

        CheckCommitted(option, path, full, exists && Directory.EnumerateFileSystemEntries(full).Any(), force);
        CheckWritableFolder(option, path, Path.GetDirectoryName(full) ?? full);
    }

    private static string Full(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{option} is empty; give a path");
        }

        try
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"{option} '{path}' is not a valid path: {e.Message}");
        }
    }

    private static bool IsSpecial(string full) => full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal) || full.StartsWith("/sys/", StringComparison.Ordinal);

    /// <summary>Committed results: an existing target inside the results/ folder of a repository (a folder holding .git).</summary>
    private static void CheckCommitted(string option, string path, string full, bool exists, bool force)
    {
        if (!exists || force)
        {
            return;
        }

        for (var dir = new DirectoryInfo(Path.GetDirectoryName(full)!); dir is not null; dir = dir.Parent)
        {
            if (dir.Name == "results" && dir.Parent is { } root && Path.Exists(Path.Combine(root.FullName, ".git")))
            {
                throw new ArgumentException($"{option} '{path}' would replace committed results under {dir.FullName}; pass --force to replace them, or write elsewhere");
            }
        }
    }

    /// <summary>The nearest existing folder of the target must be a folder this process can create files in.</summary>
    private static void CheckWritableFolder(string option, string path, string folder)
    {
        var existing = new DirectoryInfo(folder);
        while (!existing.Exists)
        {
            if (File.Exists(existing.FullName))
            {
                throw new ArgumentException($"{option} '{path}': '{existing.FullName}' is a file, not a folder");
            }

            existing = existing.Parent ?? throw new ArgumentException($"{option} '{path}': no existing folder above it");
        }

        var probe = Path.Combine(existing.FullName, $".harness-probe-{Environment.ProcessId}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{path}' cannot be written: {existing.FullName} does not take new files ({e.Message})");
        }
    }
}
