using Harness.Tests.Support;

namespace Harness.Tests.Isolation;

/// <summary>The command line around isolation: crashing variants fail (exit 1); its bad input is in the bad-input catalogue.</summary>
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
}
