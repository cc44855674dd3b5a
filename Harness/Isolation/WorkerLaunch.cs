using System.Diagnostics;

namespace Harness.Isolation;

/// <summary>
/// The command line that starts this harness in worker mode: the running harness executable itself; under a host
/// that is not the harness (the test runner, `dotnet harness.dll`), the dotnet host on harness.dll beside this assembly.
/// </summary>
internal static class WorkerLaunch
{
    public const string Verb = "worker";

    public static ProcessStartInfo For(WorkerOptions options, string request, string response)
    {
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (options.Executable is { } explicitProgram)
        {
            info.FileName = explicitProgram;
        }
        else if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "harness")
        {
            info.FileName = self;
        }
        else
        {
            info.FileName = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        }

        info.ArgumentList.Add(Verb);
        info.ArgumentList.Add(request);
        info.ArgumentList.Add(response);
        return info;
    }
}
