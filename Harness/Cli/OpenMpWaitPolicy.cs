using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// OpenMP threads (libtorch's in this process, the kernel library's in a worker) sleep when idle instead of spinning,
/// unless OMP_WAIT_POLICY already says otherwise. `verify` computes the references here while the kernel runs in its
/// worker; on a small machine a spinning thread of one process takes the core the other needs (README's seed-case
/// report: about 4 s less CPU and 2 s less wall time on 2 cores).
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Sets OMP_WAIT_POLICY=passive in the process environment when unset; must run before libtorch or a kernel library loads (OpenMP reads it once, when loaded).</summary>
    public static void PreferPassive()
    {
        // Environment.SetEnvironmentVariable changes .NET's own copy only; OpenMP reads the C library's environment.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Variable) is null)
        {
            _ = SetEnvironment(Variable, "passive", overwrite: 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
