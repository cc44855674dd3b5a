using Harness.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>What verify writes: an earlier report's files replaced (other files kept), files written atomically, committed results kept without --force.</summary>
[NonParallelizable]
public sealed class OutputTargetsCliTests
{
    private string directory = null!;

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("harness-outputs-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Verify_ReportOverEarlierReport_RemovesItsStalePlotsKeepsOtherFiles()
    {
        var report = Path.Combine(directory, "report");
        CliRunner.Run("verify", "--variant", "cpu-mutant-relu", "--scenario", "small", "--report", report).Code.Should().Be(VerifyCommand.Failed);
        var stale = Directory.GetFiles(report, "*.png");
        var console = Path.Combine(report, "console.txt");
        File.WriteAllText(console, "a user's console log");

        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small", "--report", report);

        code.Should().Be(0, error);
        stale.Should().NotBeEmpty();
        stale.Where(File.Exists).Should().BeEmpty();
        File.ReadAllText(console).Should().Be("a user's console log");
        File.ReadAllText(Path.Combine(report, "report.json")).Should().Contain("\"origin\": null");
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Should().Equal("report");
    }

    [Test]
    public void Verify_Json_WrittenWithNoTemporaryLeftBeside()
    {
        var json = Path.Combine(directory, "v.json");
        File.WriteAllText(json, "older");

        CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small", "--json", json).Code.Should().Be(0);

        File.ReadAllText(json).Should().StartWith("{");
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Should().Equal("v.json");
    }

    [Test]
    public void Verify_ReportOverCommittedResults_RefusedWithoutForceReplacedWithIt()
    {
        Directory.CreateDirectory(Path.Combine(directory, ".git"));
        var report = Path.Combine(directory, "results", "seed");
        CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small", "--report", report).Code.Should().Be(0);
        var before = File.ReadAllText(Path.Combine(report, "report.json"));

        var (refused, error) = CliRunner.Run("verify", "--variant", "cpu-mutant-relu", "--scenario", "small", "--report", report);
        var kept = File.ReadAllText(Path.Combine(report, "report.json"));
        var (forced, _) = CliRunner.Run("verify", "--variant", "cpu-mutant-relu", "--scenario", "small", "--report", report, "--force");

        refused.Should().Be(CliErrors.UserError);
        error.Trim().Should().Contain("would replace committed results").And.Contain("--force");
        kept.Should().Be(before);
        forced.Should().Be(VerifyCommand.Failed);
        File.ReadAllText(Path.Combine(report, "report.json")).Should().Contain("\"origin\": \"ffn.fc1\"");
    }
}
