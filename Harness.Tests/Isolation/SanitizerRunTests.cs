using Harness.Isolation;
using Harness.Kernels;
using Harness.Model;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>
/// Finding compute-sanitizer, its tool names, and the worker run under it. The run is proved with a stand-in
/// sanitizer (a shell script that writes a documented-format log to --log-file and then runs the worker command it
/// was given), so the plumbing is tested on a machine without a GPU; the real tool runs in scripts/nightly.sh.
/// </summary>
[NonParallelizable]
public sealed class SanitizerRunTests
{
    private DirectoryInfo folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("harness-sanitizer-test-");

    [TearDown]
    public void RemoveFolder() => folder.Delete(recursive: true);

    [TestCase("memcheck")]
    [TestCase("racecheck")]
    [TestCase("initcheck")]
    [TestCase(" Synccheck ")]
    public void Parse_KnownTool_Canonical(string name) => SanitizerTool.All.Should().Contain(SanitizerTool.Parse(name));

    [Test]
    public void Parse_UnknownTool_ArgumentNamingItAndTheKnownOnes() =>
        FluentActions.Invoking(() => SanitizerTool.Parse("leakcheck")).Should().Throw<ArgumentException>()
            .WithMessage("*'leakcheck'*memcheck, racecheck, initcheck, synccheck*");

    [Test]
    public void Locate_OnPath_FirstFolderHoldingIt()
    {
        var path = WriteScript("compute-sanitizer", "exit 0");

        SanitizerLocator.Locate(null, $"/nonexistent-bin{Path.PathSeparator}{folder.FullName}", []).Should().Be(path);
    }

    [Test]
    public void Locate_OnlyInFallbackFolder_Found()
    {
        var path = WriteScript("compute-sanitizer", "exit 0");

        SanitizerLocator.Locate(null, "/nonexistent-bin", [folder.FullName]).Should().Be(path);
    }

    [Test]
    public void Locate_Nowhere_UnavailableNamingWhereItLooked() =>
        FluentActions.Invoking(() => SanitizerLocator.Locate(null, "/nonexistent-bin", ["/nonexistent-cuda/bin"]))
            .Should().Throw<SanitizerUnavailableException>().WithMessage("*compute-sanitizer was not found on PATH or in /nonexistent-cuda/bin*");

    [Test]
    public void Locate_ExplicitMissingFile_UnavailableNamingTheVariable() =>
        FluentActions.Invoking(() => SanitizerLocator.Locate("/nonexistent/compute-sanitizer", null, []))
            .Should().Throw<SanitizerUnavailableException>().WithMessage($"{SanitizerLocator.EnvironmentVariable} names /nonexistent/compute-sanitizer*");

    [Test]
    public void Run_StandInSanitizer_WorkerRunsUnderItAndItsLogIsParsed()
    {
        var sanitizer = StandIn(SanitizerSamples.RacecheckHazard);
        var scenario = Verifications.Scenario("small");
        var request = new KernelRequest(scenario.Shape, scenario.Inputs.RoundedTo(ElementType.Float32), scenario.Weights.RoundedTo(ElementType.Float32), "huggingface");
        var variant = Verifications.Catalog.Find("cpu-reference");

        var sanitized = SanitizerRunner.Run(sanitizer, SanitizerTool.Racecheck, variant, request, new WorkerOptions(Isolated.Timeout));

        sanitized.Run.Fault.Should().BeNull();
        sanitized.Run.Outputs.Keys.Should().BeEquivalentTo(variant.Outputs);
        sanitized.Run.Outputs[TensorNames.Output].Data.Should().OnlyContain(v => double.IsFinite(v));
        sanitized.Report.Tool.Should().Be(SanitizerTool.Racecheck);
        (sanitized.Report.Errors, sanitized.Report.Findings.Count).Should().Be((1, 2));
        File.ReadAllText(Path.Combine(folder.FullName, "arguments")).Split('\n')[..2].Should().Equal("--tool", "racecheck");
    }

    [Test]
    public void Run_SanitizerThatWritesNoLog_NoSummaryNotClean()
    {
        var sanitizer = WriteScript("silent-sanitizer", "exit 0");
        var scenario = Verifications.Scenario("small");
        var request = new KernelRequest(scenario.Shape, scenario.Inputs.RoundedTo(ElementType.Float32), scenario.Weights.RoundedTo(ElementType.Float32), "huggingface");

        var sanitized = SanitizerRunner.Run(sanitizer, SanitizerTool.Memcheck, Verifications.Catalog.Find("cpu-reference"), request, new WorkerOptions(Isolated.Timeout));

        sanitized.Report.SummarySeen.Should().BeFalse();
        sanitized.Report.Clean.Should().BeFalse();
        sanitized.Run.Fault.Should().NotBeNull("the stand-in never started the worker, so there is no response");
    }

    /// <summary>A stand-in compute-sanitizer: records its arguments, writes <paramref name="log"/> to --log-file, runs the command after its options.</summary>
    private string StandIn(string log)
    {
        File.WriteAllText(Path.Combine(folder.FullName, "log.txt"), log);
        return WriteScript("compute-sanitizer", $$"""
            printf '%s\n' "$@" > '{{folder.FullName}}/arguments'
            while [ $# -gt 0 ]; do
              case "$1" in
                --log-file) cp '{{folder.FullName}}/log.txt' "$2"; shift 2 ;;
                --tool|--target-processes|--print-limit) shift 2 ;;
                *) break ;;
              esac
            done
            exec "$@"
            """);
    }

    private string WriteScript(string name, string body)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
