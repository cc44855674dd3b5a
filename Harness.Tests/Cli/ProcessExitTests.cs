using System.Diagnostics;
using Harness.Cli;
using Harness.Tests.Foundation;

namespace Harness.Tests.Cli;

/// <summary>
/// The built harness ends without the C library's exit handlers: its exit code and everything it wrote still reach the
/// caller (whether a tool injected itself, which keeps the usual exit, is StartupEnvironment.ToolInjected's, tested there).
/// </summary>
public sealed class ProcessExitTests
{
    [TestCase(new[] { "variants", "--json" }, 0)]
    [TestCase(new[] { "verify", "--variant", "cpu-souffle", "--reruns", "0" }, 2)]
    public void Now_BuiltHarness_ExitCodeAndWholeOutputReachTheCaller(string[] args, int expectedCode)
    {
        var (code, stdout, stderr) = RunBuiltHarness(args);
        code.Should().Be(expectedCode, stderr);
        if (expectedCode == 0)
        {
            // The registry's JSON is whole: it parses, to its last closing bracket.
            var registry = System.Text.Json.JsonDocument.Parse(stdout);
            registry.RootElement.ValueKind.Should().NotBe(System.Text.Json.JsonValueKind.Undefined);
        }
        else
        {
            stderr.Should().Contain("--reruns must be at least 1, got 0");
        }
    }

    private static (int Code, string Stdout, string Stderr) RunBuiltHarness(IEnumerable<string> args)
    {
        Assume.That(OperatingSystem.IsLinux(), Is.True, "the immediate exit is Linux's _exit");
        var program = Path.Combine(HarnessBuildOutput.Folder(), "harness");
        Assume.That(File.Exists(program), Is.True, $"no built harness at {program}");
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in StartupEnvironment.InjectionVariables)
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue("the harness ends");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
