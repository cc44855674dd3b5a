using Harness.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>`harness dump` and `verify --dump / --stats-log` from the command line: files, exit codes, one-line errors.</summary>
[NonParallelizable]
public sealed class DumpCliTests
{
    private string directory = null!;

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("harness-dumpcli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Dump_ExistingOut_RefusedAndUntouchedUnlessForced()
    {
        var path = Path.Combine(directory, "d.npz");
        File.WriteAllText(path, "keep me");

        var (refused, error) = CliRunner.Run("dump", "--scenario", "small", "--format", "npz", "--out", path);
        var (forced, _) = CliRunner.Run("dump", "--scenario", "small", "--format", "npz", "--out", path, "--force");

        refused.Should().Be(CliErrors.UserError);
        error.Should().Contain("exists; pass --force");
        forced.Should().Be(0);
        File.ReadAllBytes(path).Take(2).Should().Equal((byte)'P', (byte)'K');
        Directory.GetFiles(directory).Should().ContainSingle("no temporary file is left beside it");
    }

    [TestCase("safetensors")]
    [TestCase("npz")]
    public void VerifyDump_ReferenceDumpInItsDtype_ExitsZero(string format)
    {
        var path = Path.Combine(directory, "ref." + format);
        CliRunner.Run("dump", "--scenario", "small-round", "--semantics", "huggingface", "--format", format, "--out", path).Code.Should().Be(0);

        var (code, error) = CliRunner.Run("verify", "--dump", path, "--scenario", "small-round", "--semantics", "huggingface", "--json", Path.Combine(directory, "v.json"));

        code.Should().Be(0, error);
        File.ReadAllText(Path.Combine(directory, "v.json")).Should().Contain("\"passed\": true").And.Contain("\"kernelMilliseconds\": null");
    }

    [Test]
    public void VerifyStatsLog_TextDumpOfTheReference_ExitsZeroAndWritesReport()
    {
        var log = Path.Combine(directory, "trace.txt");
        CliRunner.Run("dump", "--scenario", "small", "--semantics", "souffle", "--format", "text", "--out", log).Code.Should().Be(0);

        var report = Path.Combine(directory, "report");

        var (code, error) = CliRunner.Run("verify", "--stats-log", log, "--scenario", "small", "--semantics", "souffle", "--report", report);

        code.Should().Be(0, error);
        File.ReadAllText(Path.Combine(report, "report.json")).Should().Contain("\"passed\": true");
        File.ReadAllText(Path.Combine(report, "report.md")).Should().Contain("| attn.context |");
    }

    [TestCase("=== attn.q ===\nShape: [2, 3, 7, 5]\nDtype: float16\nMin: 1\n", "line 5: block 'attn.q' (line 1) is truncated")]
    [TestCase("=== attn.q ===\nShape: [2, 3, 7, 5]\nDtype: half-ish\nMin: 0\nMax: 0\nMean: 0\nStd: 0\nFirst 10 values: 0 0 0 0 0 0 0 0 0 0\n", "line 3: unknown dtype 'half-ish'")]
    public void VerifyStatsLog_Malformed_OneLineErrorExitTwo(string log, string expected)
    {
        var path = Path.Combine(directory, "bad.log");
        File.WriteAllText(path, log);

        var (code, error) = CliRunner.Run("verify", "--stats-log", path, "--scenario", "small");

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("harness: error: ").And.Contain(expected);
    }

    [Test]
    public void Verify_NameMapToNonCanonicalName_OneLineErrorExitTwo()
    {
        var map = Path.Combine(directory, "map.json");
        File.WriteAllText(map, "{\"ctx\": \"attention.context\"}");
        File.WriteAllText(Path.Combine(directory, "x.log"), "=== ctx ===\n");

        var (code, error) = CliRunner.Run("verify", "--stats-log", Path.Combine(directory, "x.log"), "--names", map, "--scenario", "small");

        code.Should().Be(CliErrors.UserError);
        error.Should().Contain("'ctx' maps to 'attention.context', which is not a canonical tensor name");
    }

    [TestCase("verify --scenario small")]
    [TestCase("verify --variant cpu-reference --stats-log x.log --scenario small")]
    public void Verify_NotExactlyOneSource_OneLineErrorExitTwo(string commandLine)
    {
        var (code, error) = CliRunner.Run(commandLine.Split(' '));

        code.Should().Be(CliErrors.UserError);
        error.Should().Contain("give exactly one of --variant, --dump FILE or --stats-log FILE");
    }
}
