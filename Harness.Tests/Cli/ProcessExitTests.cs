using System.Diagnostics;
using Harness.Cli;
using Harness.Tests.Foundation;

namespace Harness.Tests.Cli;

/// <summary>
/// The built harness ends without the C library's exit handlers: its exit code and everything it wrote still reach the
/// caller, and a profiler or sanitizer that injected itself keeps the usual exit.
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

    [TestCase("LD_PRELOAD", "/opt/tool/libinject.so", true)]
    [TestCase("NV_SANITIZER_INJECTION_TRANSPORT_TYPE", "uds", true)]
    [TestCase("HOME", "/root", false)]
    public void ToolInjected_Variable_SaysWhetherAToolIsThere(string variable, string value, bool injected)
    {
        StartupEnvironment.ToolInjected(name => name == variable ? value : null).Should().Be(injected);
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
