using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// Ends the process once the command has finished, without the C library's exit handlers. libtorch's static destructors
/// deregister its operators one by one and its allocator hands memory back: 0.2 s of one core after the seed case's
/// report was written (`strace`: its last write to exit 0.20 s before, 0.03 s after; a profile put libtorch's dispatcher
/// there). Nothing of the harness runs in them: its files are closed and its worker has ended before the command returns.
/// Under a profiler or sanitizer that injected itself (<see cref="StartupEnvironment.InjectionVariables"/>) the process
/// exits as usual, so that the tool's own exit handlers report and flush.
/// </summary>
public static partial class ProcessExit
{
    /// <summary>Flushes the console and ends the process with <paramref name="code"/>; returns only where it exits as usual.</summary>
    public static int Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() && !StartupEnvironment.ToolInjected(Environment.GetEnvironmentVariable))
        {
            ExitImmediately(code);
        }

        return code;
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void ExitImmediately(int status);
}
