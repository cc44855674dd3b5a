using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// At most two glibc malloc arenas, unless MALLOC_ARENA_MAX already says otherwise. glibc gives threads that allocate
/// at the same time arenas of their own (up to eight per core), and a block freed into one arena serves only that
/// arena's later allocations: with libtorch's tensors allocated and freed by several pool threads during a diagnosis,
/// the arenas held 200-350 MB of free memory, all of it resident. With two, README's seed-case report peaked about
/// 150 MB lower (1.44 → 1.25-1.28 GB, same page faults and CPU time).
/// </summary>
internal static partial class MallocArenas
{
    // M_ARENA_MAX in glibc's malloc.h.
    private const int ArenaMaxParameter = -8;
    private const int Arenas = 2;

    /// <summary>Must run before threads allocate concurrently (glibc fixes the limit when the ninth arena would be made).</summary>
    public static void Limit()
    {
        // Environment.GetEnvironmentVariable sees the environment the process started with, which glibc read too.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
        {
            _ = MallOpt(ArenaMaxParameter, Arenas);
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
