using Harness.Isolation;

namespace Harness.Tests.Isolation;

public sealed class SanitizerOutputParserTests
{
    [Test]
    public void Parse_MemcheckOutOfBounds_FindingsWithLocationThreadAndDetails()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.MemcheckOutOfBounds);

        report.Errors.Should().Be(3);
        report.SummarySeen.Should().BeTrue();
        report.Clean.Should().BeFalse();
        report.Findings.Select(f => f.Headline).Should().Equal(
            "Invalid __global__ write of size 4 bytes",
            "Invalid __global__ write of size 4 bytes",
            "Program hit cudaErrorLaunchFailure (error 719) due to \"unspecified launch failure\" on CUDA API call to cudaStreamSynchronize.");
        var first = report.Findings[0];
        first.Location.Should().StartWith("0x1b0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:171:").And.Contain("contextKernel");
        first.Thread.Should().Be("thread (37,0,0) in block (1,3,0)");
        first.Details.Should().Equal(
            "Address 0x7f3a5c000600 is out of bounds",
            "and is 1,537 bytes after the nearest allocation at 0x7f3a5c000000 of size 1,536 bytes");
    }

    [Test]
    public void Parse_ApiErrorBesideKernelFindings_ListedApart()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.MemcheckOutOfBounds);

        report.KernelFindings.Should().HaveCount(2).And.OnlyContain(f => f.Headline.StartsWith("Invalid __global__ write"));
        report.ApiErrors.Should().ContainSingle().Which.Headline.Should().Contain("cudaErrorLaunchFailure");
    }

    [Test]
    public void Parse_OnlyAFailedApiCall_Clean()
    {
        const string text = """
            ========= COMPUTE-SANITIZER
            ========= Program hit cudaErrorPeerAccessUnsupported (error 217) due to "peer access is not supported between these two devices" on CUDA API call to cudaDeviceCanAccessPeer.
            =========     Saved host backtrace up to driver entry point at error
            =========
            ========= ERROR SUMMARY: 1 error
            """;

        var report = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, text);

        (report.Clean, report.ApiErrors.Count, report.Errors).Should().Be((true, 1, 1));
    }

    [Test]
    public void Parse_HostFrames_LeftOutOfDetails()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.MemcheckOutOfBounds);

        report.Findings.SelectMany(f => f.Details).Should().NotContain(d => d.Contains("Host Frame") || d.Contains("libcuda") || d.Contains("backtrace"));
        report.Findings[2].Details.Should().BeEmpty();
    }

    [Test]
    public void Parse_RacecheckHazards_ErrorsAndWarningsFromItsSummary()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Racecheck, SanitizerSamples.RacecheckHazard);

        (report.Errors, report.Warnings, report.SummarySeen).Should().Be((1, 1, true));
        report.Findings.Should().HaveCount(2);
        report.Findings[0].Headline.Should().StartWith("Race reported between Write access at 0x4d0").And.Contain("cuda_mutant.cuh:96");
        report.Findings[0].Details.Should().ContainSingle().Which.Should().StartWith("and Read access").And.EndWith("[1024 hazards]");
        report.Findings[1].Headline.Should().StartWith("Warning: Race reported between Read access");
    }

    [Test]
    public void Parse_InitcheckUninitializedRead_OneFinding()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Initcheck, SanitizerSamples.InitcheckUninitializedRead);

        report.Errors.Should().Be(1);
        report.Findings.Should().ContainSingle().Which.Should().BeEquivalentTo(new SanitizerFinding(
            "Uninitialized __global__ memory read of size 4 bytes",
            "0x2a0 in void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)1>(bk::mutant::ScoreArgs)",
            "thread (5,0,0) in block (2,0,0)",
            ["Address 0x7f3a5c000a00"]));
    }

    [Test]
    public void Parse_SynccheckBarrierError_OneFinding()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Synccheck, SanitizerSamples.SynccheckDivergentBarrier);

        report.Findings.Should().ContainSingle().Which.Headline.Should().Be("Barrier error detected. Divergent thread(s) in warp");
        report.Findings[0].Location.Should().Be("0x90 in /src/kernel.cu:12:divergentBarrier()");
    }

    [TestCase(SanitizerTool.Memcheck, SanitizerSamples.Clean)]
    [TestCase(SanitizerTool.Racecheck, SanitizerSamples.RacecheckClean)]
    public void Parse_CleanRun_Clean(string tool, string text)
    {
        var report = SanitizerOutputParser.Parse(tool, text);

        report.Clean.Should().BeTrue();
        report.Findings.Should().BeEmpty();
    }

    [Test]
    public void Parse_NoSummary_NotClean()
    {
        var report = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.Truncated);

        report.SummarySeen.Should().BeFalse();
        report.Clean.Should().BeFalse();
        report.Findings.Should().ContainSingle().Which.Location.Should().Be("0x70 in kernel()");
    }

    [Test]
    public void Parse_EmptyLog_NotClean() => SanitizerOutputParser.Parse(SanitizerTool.Memcheck, string.Empty).Clean.Should().BeFalse();

    [Test]
    public void Parse_WindowsLineEndings_SameFindings()
    {
        var unix = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.MemcheckOutOfBounds);
        var windows = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.MemcheckOutOfBounds.Replace("\n", "\r\n"));

        windows.Findings.Should().BeEquivalentTo(unix.Findings);
    }
}
