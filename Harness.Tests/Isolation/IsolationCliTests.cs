using Harness.Tests.Support;

namespace Harness.Tests.Isolation;

/// <summary>The command line around isolation: crashing variants fail (exit 1), bad input is one line and exit 2.</summary>
[NonParallelizable]
public sealed class IsolationCliTests
{
    [Test]
    public void Verify_SegfaultingVariant_ExitsFailedNotCrashed()
    {
        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-faulty-segfault", "--variant-lib", TestLibraries.TestVariants, "--scenario", "small", "--worker-timeout", "20");

        code.Should().Be(1);
        error.Trim().Should().BeEmpty();
    }

    [Test]
    public void Verify_RaceVariant_ExitsFailed()
    {
        var (code, _) = CliRunner.Run("verify", "--variant", "cpu-faulty-race", "--variant-lib", TestLibraries.TestVariants, "--scenario", "small", "--reruns", "3", "--worker-timeout", "20");

        code.Should().Be(1);
    }

    [TestCase("0")]
    [TestCase("-3")]
    public void Verify_RerunsBelowOne_OneLineExit2(string reruns)
    {
        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small", "--reruns", reruns);

        code.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("--reruns");
    }

    [Test]
    public void Verify_WorkerCannotStart_OneLineExit2()
    {
        Environment.SetEnvironmentVariable("HARNESS_WORKER", "/nonexistent/harness-worker");
        try
        {
            var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small");

            code.Should().Be(2);
            error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("/nonexistent/harness-worker");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARNESS_WORKER", null);
        }
    }
}
