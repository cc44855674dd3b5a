using System.Text;

namespace Harness.Reporting.Documents;

/// <summary>Where reports go: the directory is created if needed, and a path that cannot take files is named in the error.</summary>
internal static class ReportOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Checks the model, creates the directory and draws the plots every document of the report shares.</summary>
    public static (string Directory, IReadOnlyList<TensorPlotFiles> Plots) Prepare(ReportModel model, string directory)
    {
        ReportModelCheck.Validate(model);
        var full = PrepareDirectory(directory);
        return (full, ReportPlots.Write(model, full));
    }

    /// <summary>Prepares as <see cref="Prepare"/> does, then writes one document with <paramref name="write"/>; returns its path.</summary>
    public static string WriteOne(ReportModel model, string directory, Func<ReportModel, string, IReadOnlyList<TensorPlotFiles>, string> write)
    {
        var (full, plots) = Prepare(model, directory);
        return write(model, full, plots);
    }

    private static string PrepareDirectory(string directory)
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
