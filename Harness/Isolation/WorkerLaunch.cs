using System.Diagnostics;

namespace Harness.Isolation;

/// <summary>
/// The command line that starts this harness in worker mode: the running harness executable itself; under a host
/// that is not the harness, the dotnet host running this process on harness.dll beside this assembly, else the
/// harness apphost beside this assembly (a test runner's apphost, a self-contained bundle), else `dotnet exec harness.dll`.
/// <see cref="EnvironmentVariable"/> names another program (a wrapper, e.g. a sanitizer around the worker).
/// </summary>
internal static class WorkerLaunch
{
    public const string Verb = "worker";

    public const string EnvironmentVariable = "HARNESS_WORKER";

    public static ProcessStartInfo For(WorkerOptions options, string request, string response)
    {
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if ((options.Executable ?? Environment.GetEnvironmentVariable(EnvironmentVariable)) is { Length: > 0 } explicitProgram)
        {
            info.FileName = explicitProgram;
        }
        else if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "harness")
        {
            info.FileName = self;
        }
        else if (Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.FileName = host;
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        }
        else if (File.Exists(Path.Combine(AppContext.BaseDirectory, "harness")))
        {
            // Another apphost (a test runner, a self-contained bundle with no dotnet on PATH): the harness's own beside it.
            info.FileName = Path.Combine(AppContext.BaseDirectory, "harness");
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        }

        info.ArgumentList.Add(Verb);
        info.ArgumentList.Add(request);
        info.ArgumentList.Add(response);
        var launch = options.Wrapper.Count == 0 ? info : Wrapped(info, options.Wrapper);
        WorkerMallocTunable.Apply(launch);
        return launch;
    }

    /// <summary>The same command run by <paramref name="wrapper"/>: its program, its arguments, then the worker's program and arguments.</summary>
    private static ProcessStartInfo Wrapped(ProcessStartInfo worker, IReadOnlyList<string> wrapper)
    {
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, FileName = wrapper[0] };
        foreach (var argument in wrapper.Skip(1).Append(worker.FileName).Concat(worker.ArgumentList))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
