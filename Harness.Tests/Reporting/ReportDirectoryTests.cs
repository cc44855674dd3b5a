using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>
/// A report directory replaced by a new report: the earlier report's files go (listed in its manifest, or by name where it
/// has none), every other file stays with its bytes, and the kept files are returned.
/// </summary>
public sealed class ReportDirectoryTests
{
    private string directory = null!;
    private string target = null!;

    [SetUp]
    public void SetUp()
    {
        directory = Directory.CreateTempSubdirectory("harness-report-directory-").FullName;
        target = Path.Combine(directory, "report");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Write_StalePlotListedInEarlierManifest_IsRemoved()
    {
        ReportDirectory.Write(target, Writes("report.md", "01-ffn.fc1-heatmap.png"));

        ReportDirectory.Write(target, Writes("report.md"));

        Files(target).Should().Equal(ReportDirectory.ManifestName, "report.md");
    }

    [Test]
    public void Write_ForeignFilesBesideEarlierReport_SurviveWithIdenticalBytes()
    {
        ReportDirectory.Write(target, Writes("report.md", "01-ffn.fc1-heatmap.png"));
        byte[] screenshot = [0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0a];
        var notes = "a user's notes\n"u8.ToArray();
        File.WriteAllBytes(Path.Combine(target, "screenshot.png"), screenshot);
        Directory.CreateDirectory(Path.Combine(target, "notes"));
        File.WriteAllBytes(Path.Combine(target, "notes", "x.txt"), notes);

        ReportDirectory.Write(target, Writes("report.md"));

        File.ReadAllBytes(Path.Combine(target, "screenshot.png")).Should().Equal(screenshot);
        File.ReadAllBytes(Path.Combine(target, "notes", "x.txt")).Should().Equal(notes);
    }

    [Test]
    public void Write_EarlierReportWithoutManifest_ReplacesItsDocumentsAndPlotsKeepsOtherFiles()
    {
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "report.md", "report.json", "03-attn.scores-histogram.png", "screenshot.png", "console.txt" })
        {
            File.WriteAllText(Path.Combine(target, file), "earlier");
        }

        ReportDirectory.Write(target, Writes("report.md"));

        Files(target).Should().Equal(ReportDirectory.ManifestName, "console.txt", "report.md", "screenshot.png");
        File.ReadAllText(Path.Combine(target, "report.md")).Should().Be("new report.md");
    }

    [Test]
    public void Write_OverEarlierDirectory_ManifestListsExactlyTheFilesWritten()
    {
        ReportDirectory.Write(target, Writes("report.md"));
        File.WriteAllText(Path.Combine(target, "console.txt"), "kept");

        ReportDirectory.Write(target, Writes("report.md", "report.json", "01-ffn.fc1-heatmap.png", "tables/ulp.csv"));

        File.ReadAllLines(Path.Combine(target, ReportDirectory.ManifestName))
            .Should().Equal("01-ffn.fc1-heatmap.png", "report.json", "report.md", "tables/ulp.csv");
    }

    [Test]
    public void Write_ForeignFilesBesideEarlierReport_ReturnedAsKept()
    {
        ReportDirectory.Write(target, Writes("report.md"));
        File.WriteAllText(Path.Combine(target, "screenshot.png"), "kept");
        File.WriteAllText(Path.Combine(target, "console.txt"), "kept");
        Directory.CreateDirectory(Path.Combine(target, "notes"));
        File.WriteAllText(Path.Combine(target, "notes", "x.txt"), "kept");

        var written = ReportDirectory.Write(target, Writes("report.md"));

        written.FullPath.Should().Be(target);
        written.Kept.Should().Equal("console.txt", "notes/x.txt", "screenshot.png");
    }

    [Test]
    public void Write_OnlyTheEarlierReportsFiles_NothingKept()
    {
        ReportDirectory.Write(target, Writes("report.md", "01-ffn.fc1-heatmap.png"));

        ReportDirectory.Write(target, Writes("report.md")).Kept.Should().BeEmpty();
    }

    [Test]
    public void Write_NewReportWritesPathOfUnlistedFile_NewFileWins()
    {
        ReportDirectory.Write(target, Writes("report.md"));
        File.WriteAllText(Path.Combine(target, "report.json"), "earlier");

        var written = ReportDirectory.Write(target, Writes("report.md", "report.json"));

        written.Kept.Should().BeEmpty();
        File.ReadAllText(Path.Combine(target, "report.json")).Should().Be("new report.json");
    }

    [Test]
    public void Write_WriterThrows_EarlierDirectoryUntouchedNoStagingLeft()
    {
        ReportDirectory.Write(target, Writes("report.md"));
        File.WriteAllText(Path.Combine(target, "console.txt"), "kept");
        var before = Files(target);

        var write = () => ReportDirectory.Write(target, _ => throw new IOException("disk full"));

        write.Should().Throw<IOException>();
        Files(target).Should().Equal(before);
        File.ReadAllText(Path.Combine(target, "report.md")).Should().Be("new report.md");
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Should().Equal("report");
    }

    /// <summary>A report writer that writes each of <paramref name="files"/> (relative paths) as "new NAME".</summary>
    private static Action<string> Writes(params string[] files) => staging =>
    {
        foreach (var file in files)
        {
            var path = Path.Combine(staging, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"new {Path.GetFileName(file)}");
        }
    };

    /// <summary>The directory's files, '/'-separated relative paths in ordinal order.</summary>
    private static List<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
