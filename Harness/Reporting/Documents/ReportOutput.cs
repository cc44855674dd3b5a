using System.Text;

namespace Harness.Reporting.Documents;

/// <summary>Where reports go: the directory is created if needed, and a path that cannot take files is named in the error.</summary>
internal static class ReportOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static string PrepareDirectory(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException("report directory is empty", nameof(directory));
        }

        var full = Path.GetFullPath(directory);
        if (File.Exists(full))
        {
            throw new IOException($"report directory '{full}' is an existing file");
        }

        Directory.CreateDirectory(full);
        return full;
    }

    public static string WriteText(string directory, string fileName, string text)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, text, Utf8NoBom);
        return path;
    }
}
