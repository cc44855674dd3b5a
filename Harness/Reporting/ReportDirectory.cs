namespace Harness.Reporting;

/// <summary>
/// A report directory written whole or not at all: the report is written into a fresh folder beside the target, which
/// then replaces the target (an earlier report's files, stale plots included, go with it).
/// </summary>
public static class ReportDirectory
{
    /// <param name="writeInto">Writes every file of the report into the folder it is given.</param>
    /// <returns>The target's full path.</returns>
    public static string Write(string target, Action<string> writeInto)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{name}.new-{Environment.ProcessId}");
        var previous = Path.Combine(parent, $".{name}.old-{Environment.ProcessId}");
        Directory.CreateDirectory(staging);
        try
        {
            writeInto(staging);
            if (Directory.Exists(full))
            {
                Directory.Move(full, previous);
            }

            try
            {
                Directory.Move(staging, full);
            }
            catch when (Directory.Exists(previous))
            {
                // Invariant: the earlier report is never lost to a failed replacement.
                Directory.Move(previous, full);
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (Directory.Exists(previous))
            {
                Directory.Delete(previous, recursive: true);
            }
        }

        return full;
    }
}
