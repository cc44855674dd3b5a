using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// Settings the native libraries (libtorch with its OpenMP and MKL in this process, the kernel library's OpenMP in a
/// worker) read from the C library's environment once, when they load. Each is set only where the user has not set it,
/// and here, before anything loads, rather than by <see cref="StartupEnvironment"/>'s restart: that restart is skipped in
/// a worker and under a profiler or sanitizer, and these settings hold there too.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>
    /// OpenMP threads sleep when idle instead of spinning. `verify` computes the references here while the kernel runs
    /// in its worker; on a small machine a spinning thread of one process takes the core the other needs (README's
    /// seed-case report: about 4 s less CPU and 2 s less wall time on 2 cores).
    /// </summary>
    public const string OpenMpWaitPolicy = "OMP_WAIT_POLICY";

    /// <summary>
    /// MKL, under libtorch's CPU GEMMs, picks its kernels by the host's instruction set unless its conditional numerical
    /// reproducibility names a branch. On a host with AVX512-FP16 and AMX it took another path for the float16
    /// reference's GEMMs than on the host the committed seed-case report was made on: the same command gave other
    /// budgets (ffn.ln_sum's 1.30708 against 1.30214, the float16 reference's own error there 2.5E-03 against 3.4E-06).
    /// AVX2 is the newest branch every x86-64 host this project runs on has; with it the report is the committed one
    /// on both hosts.
    /// </summary>
    public const string MklCodeBranch = "MKL_CBWR";

    /// <summary>Sets each of the settings above where unset; must run before libtorch or a kernel library loads.</summary>
    public static void Prepare()
    {
        SetIfUnset(OpenMpWaitPolicy, "passive");
        SetIfUnset(MklCodeBranch, "AVX2");
    }

    /// <summary>Sets <paramref name="name"/> in the C library's environment unless it holds a value there already.</summary>
    public static void SetIfUnset(string name, string value)
    {
        // Environment.SetEnvironmentVariable changes .NET's own copy only; the native libraries read the C library's.
        if (OperatingSystem.IsLinux())
        {
            _ = SetEnvironment(name, value, overwrite: 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
