using Harness.Comparison;
using Harness.Isolation;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>Verifications of test variants on the small scenario, each run in a worker process with a short timeout.</summary>
internal static class Isolated
{
    /// <summary>Long enough for a worker's start-up and a small run on two busy cores; a hang costs this once.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static VerificationSetup Setup(int runs = 1, TimeSpan? timeout = null) =>
        Verifications.Setup(Verifications.Scenario("small"), "huggingface") with
        {
            Runs = runs,
            Isolation = new WorkerOptions(timeout ?? Timeout),
        };

    public static LayerVerification Verify(string variant, int runs = 1, TimeSpan? timeout = null) =>
        LayerVerifier.Verify(Verifications.Catalog.Find(variant), Setup(runs, timeout));
}
