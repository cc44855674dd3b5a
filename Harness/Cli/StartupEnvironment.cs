using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Cli;

/// <summary>
/// Two start-up settings that only the environment a process starts with can give, which the harness therefore gives
/// itself by restarting once, in place (execve of its own executable with its own arguments: same process id, same
/// open files), before it does anything else:
/// <list type="bullet">
/// <item>DOTNET_EnableWriteXorExecute=0: the runtime maps its JIT-compiled code once instead of twice (writable and
/// executable views; the runtimeconfig knob does not reach it). README's seed case, 3 runs each: 7.8–8.1 s → 6.8–7.6 s.
/// W^X is a hardening against code injection; a user who wants it kept sets the variable to 1.</item>
/// <item>GLIBC_TUNABLES=glibc.malloc.hugetlb=1: glibc's malloc (libtorch's tensors) on transparent huge pages, 30–100k
/// fewer slow page faults in the seed case.</item>
/// </list>
/// A variable the environment already sets is left as given. The kernel's worker inherits both and is never restarted,
/// nor is a process run under a profiler or sanitizer that injects itself (LD_PRELOAD, CUDA_INJECTION64_PATH, or the
/// variables Nsight Compute 2025.3 and compute-sanitizer 13.0 give their target instead: restarted under ncu, the
/// harness ran no profiled kernel, H100, 2026-11-27). Where the restart cannot happen (not Linux, execve refused) the
/// harness runs on as it was started.
/// </summary>
public static partial class StartupEnvironment
{
    public const string WriteXorExecute = "DOTNET_EnableWriteXorExecute";

    public const string GlibcTunables = Isolation.WorkerMallocTunable.Variable;

    /// <summary>Variables whose presence says a tool injected itself into this process: no restart then.</summary>
    public static readonly IReadOnlyList<string> InjectionVariables =
    [
        "LD_PRELOAD", "CUDA_INJECTION64_PATH", "NV_TPS_LAUNCH_TOKEN", "NV_NSIGHT_INJECTION_TRANSPORT_TYPE",
        "NV_SANITIZER_INJECTION_TRANSPORT_TYPE",
    ];

    /// <summary>Whether a profiler or sanitizer injected itself into a process whose environment <paramref name="variable"/> reads.</summary>
    public static bool ToolInjected(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return InjectionVariables.Any(v => !string.IsNullOrEmpty(variable(v)));
    }

    /// <summary>
    /// The variables a restart would add for a harness started with <paramref name="args"/> in an environment read by
    /// <paramref name="variable"/>: empty where nothing is to be gained or a restart is not wanted.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Additions(IReadOnlyList<string> args, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(variable);
        var additions = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((args.Count > 0 && args[0] == Isolation.WorkerLaunch.Verb) || ToolInjected(variable))
        {
            return additions;
        }

        // Invariant: the restarted process sets WriteXorExecute, so it never restarts again.
        if (variable(WriteXorExecute) is null)
        {
            additions[WriteXorExecute] = "0";
            if (Isolation.WorkerMallocTunable.For(variable) is { } tunable)
            {
                additions[GlibcTunables] = tunable;
            }
        }

        return additions;
    }

    /// <summary>Restarts this process in place with <see cref="Additions"/>; returns only where it did not restart.</summary>
    public static void RestartIfUseful(IReadOnlyList<string> args)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var additions = Additions(args, Environment.GetEnvironmentVariable);
        if (additions.Count == 0 || OwnCommandLine() is not { Count: > 0 } commandLine)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .Concat(additions.Select(a => $"{a.Key}={a.Value}"));
        var argv = Utf8Strings(commandLine);
        var envp = Utf8Strings(environment.ToList());
        try
        {
            // Returns only on failure (the image is replaced otherwise); the harness then runs on unchanged.
            // The executable's own path rather than /proc/self/exe, so that the process keeps its name (ps, pgrep).
            _ = Execve(Environment.ProcessPath ?? "/proc/self/exe", argv, envp);
        }
        finally
        {
            foreach (var pointer in argv.Concat(envp).Where(p => p != 0))
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>This process's arguments as the kernel holds them (argv[0] included), or null where unreadable.</summary>
    private static List<string>? OwnCommandLine()
    {
        try
        {
            var bytes = File.ReadAllBytes("/proc/self/cmdline");
            return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Split('\0').ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>NUL-terminated UTF-8 copies, then a null pointer ending the vector, as execve reads them.</summary>
    private static nint[] Utf8Strings(IReadOnlyList<string> strings) =>
        [.. strings.Select(Marshal.StringToCoTaskMemUTF8), 0];

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, nint[] argv, nint[] envp);
}
