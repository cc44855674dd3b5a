using Harness.Cli;

namespace Harness.Tests;

/// <summary>
/// The tests' references take the same native settings as the harness's (MKL's code branch above all, which decides the
/// float16 reference's numbers and so the budgets), whichever host runs them.
/// </summary>
[SetUpFixture]
public sealed class NativeEnvironmentSetup
{
    [OneTimeSetUp]
    public void PrepareNativeLibraries() => NativeEnvironment.Prepare();
}
