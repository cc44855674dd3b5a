namespace Harness.Dumps;

/// <summary>
/// Writes a file so that it is either complete or absent: into a temporary file beside it, then renamed over. An
/// existing file is never replaced unless asked, so a dump is never lost to a typo.
/// </summary>
public static class AtomicFile
{
    /// <summary>Refuses an existing path unless <paramref name="overwrite"/>: callers check before the work that produces the file.</summary>
    public static void EnsureWritable(string path, bool overwrite)
    {
        if (!overwrite && (File.Exists(path) || Directory.Exists(path)))
        {
            throw new ArgumentException($"'{path}' exists; pass --force to overwrite it");
        }
    }

    /// <param name="writeTo">Writes the whole file at the path it is given (the temporary one).</param>
    public static void Write(string path, bool overwrite, Action<string> writeTo)
    {
        EnsureWritable(path, overwrite);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            writeTo(temporary);
            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
