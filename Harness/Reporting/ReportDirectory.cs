using Harness.Reporting.Documents;

namespace Harness.Reporting;

/// <summary>
/// The report directory <see cref="ReportDirectory.Write"/> produced, as a full path, and the files in it the harness
/// did not write: carried over from the directory it replaced, as '/'-separated paths relative to it, in ordinal order.
/// </summary>
public sealed record WrittenReport(string FullPath, IReadOnlyList<string> Kept);

/// <summary>
/// A report directory written whole or not at all: the report is written into a fresh folder beside the target, which
/// then replaces the target. The report's own files are listed in a manifest, <see cref="ManifestName"/> in the
/// directory: one '/'-separated path relative to the directory per line, every file the report wrote and nothing else.
/// On replacement the earlier report's files go (stale plots of an earlier failing run must not stay beside the new
/// report), while every other file of the target (a user's console log or screenshot beside a committed report) is
/// copied into the new folder before the swap, so nothing the harness did not write is lost. A directory without a
/// manifest (a report written before it existed) is taken to hold the harness's report.md, report.json, report.html
/// and plots named as <see cref="ReportPlots"/> names them; everything else in it is kept.
/// </summary>
public static class ReportDirectory
{
    public const string ManifestName = ".harness-report";

    /// <summary>
    /// A report's documents: what marks a directory as holding a harness report, and what a report written without a
    /// manifest wrote besides its plots.
    /// </summary>
    public static readonly IReadOnlyList<string> Documents = [MarkdownReport.FileName, HtmlReport.FileName, JsonFileName];

    /// <summary>The report's machine-readable document.</summary>
    public const string JsonFileName = "report.json";

    /// <param name="writeInto">Writes every file of the report into the folder it is given.</param>
    public static WrittenReport Write(string target, Action<string> writeInto)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{name}.new-{Environment.ProcessId}");
        var previous = Path.Combine(parent, $".{name}.old-{Environment.ProcessId}");
        Directory.CreateDirectory(staging);
        IReadOnlyList<string> kept = [];
        try
        {
            writeInto(staging);

            // Invariant: the manifest lists exactly what writeInto wrote: it is written before other files are carried in.
            WriteManifest(staging);
            if (Directory.Exists(full))
            {
                // Copied, not moved: a failed replacement puts the earlier directory back whole.
                kept = CarryUnlisted(full, staging);
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

        return new WrittenReport(full, kept);
    }

    private static void WriteManifest(string staging)
    {
        var written = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Select(f => Relative(staging, f)).Order(StringComparer.Ordinal);
        File.WriteAllText(Path.Combine(staging, ManifestName), string.Concat(written.Select(f => f + "\n")));
    }

    /// <summary>
    /// Copies every file (and folder) of <paramref name="earlier"/> its report did not write into <paramref name="staging"/>,
    /// unless the new report wrote that path (then it is the harness's own file); returns the copied files' paths.
    /// </summary>
    private static List<string> CarryUnlisted(string earlier, string staging)
    {
        var writtenByHarness = WrittenByHarness(earlier);
        var kept = new List<string>();
        foreach (var entry in new DirectoryInfo(earlier).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Relative(earlier, entry.FullName);
            var destination = Path.Combine(staging, relative);
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                // Empty folders are the user's too; the harness writes none.
                Directory.CreateDirectory(destination);
            }
            else if (!writtenByHarness(relative) && !Path.Exists(destination))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                Copy(entry, destination);
                kept.Add(relative);
            }
        }

        kept.Sort(StringComparer.Ordinal);
        return kept;
    }

    /// <summary>Which of <paramref name="directory"/>'s files (relative paths) its report wrote.</summary>
    private static Func<string, bool> WrittenByHarness(string directory)
    {
        var manifest = Path.Combine(directory, ManifestName);
        if (File.Exists(manifest))
        {
            var listed = File.ReadAllLines(manifest).ToHashSet(StringComparer.Ordinal);
            return path => path == ManifestName || listed.Contains(path);
        }

        // A report from before the manifest: its documents and plots, told by name; it wrote nothing in subfolders.
        return path => Documents.Contains(path, StringComparer.Ordinal) || ReportPlots.IsFileName(path);
    }

    /// <summary>A link is copied as the link it is (a folder link would otherwise fail to copy or lose its target).</summary>
    private static void Copy(FileSystemInfo entry, string destination)
    {
        if (entry.LinkTarget is not { } link)
        {
            File.Copy(entry.FullName, destination);
        }
        else if (entry is DirectoryInfo)
        {
            Directory.CreateSymbolicLink(destination, link);
        }
        else
        {
            File.CreateSymbolicLink(destination, link);
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
