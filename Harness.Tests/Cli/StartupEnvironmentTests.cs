using System.Diagnostics;
using Harness.Cli;
using Harness.Tests.Foundation;

namespace Harness.Tests.Cli;

/// <summary>
/// The harness restarts itself once with W^X off and glibc's malloc on huge pages, unless the environment already
/// decides, the process is a worker, or a tool injected itself; the built program then runs without double-mapped code.
/// </summary>
public sealed class StartupEnvironmentTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    [Test]
    public void Additions_FreshEnvironment_WriteXorExecuteOffAndHugePages()
    {
        StartupEnvironment.Additions(["verify"], Environment()).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            [StartupEnvironment.WriteXorExecute] = "0",
            [StartupEnvironment.GlibcTunables] = "glibc.malloc.hugetlb=1",
        });
    }

    [Test]
    public void Additions_WriteXorExecuteSetByUser_NoRestart()
    {
        StartupEnvironment.Additions(["verify"], Environment((StartupEnvironment.WriteXorExecute, "1"))).Should().BeEmpty();
    }

    [Test]
    public void Additions_GlibcTunablesSetByUser_LeftAsGiven()
    {
        StartupEnvironment.Additions(["trace"], Environment((StartupEnvironment.GlibcTunables, "glibc.malloc.arena_max=2")))
            .Should().Equal(new Dictionary<string, string> { [StartupEnvironment.WriteXorExecute] = "0" });
    }

    [TestCase("LD_PRELOAD", "/opt/tool/libinject.so")]
    [TestCase("CUDA_INJECTION64_PATH", "/opt/nsight/libinjection.so")]
    [TestCase("NV_TPS_LAUNCH_TOKEN", "Interactive Profile")]
    [TestCase("NV_NSIGHT_INJECTION_TRANSPORT_TYPE", "uds")]
    [TestCase("NV_SANITIZER_INJECTION_TRANSPORT_TYPE", "uds")]
    public void Additions_ToolInjectedItself_NoRestart(string variable, string value)
    {
        StartupEnvironment.Additions(["bench"], Environment((variable, value))).Should().BeEmpty();
    }

    [TestCase("LD_PRELOAD", "/opt/tool/libinject.so", true)]
    [TestCase("NV_SANITIZER_INJECTION_TRANSPORT_TYPE", "uds", true)]
    [TestCase("HOME", "/root", false)]
    public void ToolInjected_Variable_SaysWhetherAToolIsThere(string variable, string value, bool injected)
    {
        StartupEnvironment.ToolInjected(name => name == variable ? value : null).Should().Be(injected);
    }

    [Test]
    public void Additions_Worker_NoRestart()
    {
        StartupEnvironment.Additions(["worker", "request.bin", "response.bin"], Environment()).Should().BeEmpty();
    }

    [Test]
    public void RestartIfUseful_BuiltHarness_SameProcessRunsWithoutDoubleMappedCode()
    {
        Assume.That(OperatingSystem.IsLinux(), Is.True, "the restart is Linux's execve");
        var program = Path.Combine(HarnessBuildOutput.Folder(), "harness");
        Assume.That(File.Exists(program), Is.True, $"no built harness at {program}");
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("trace");
        foreach (var name in StartupEnvironment.InjectionVariables.Append(StartupEnvironment.WriteXorExecute).Append(StartupEnvironment.GlibcTunables))
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        try
        {
            // The process id stays; its environment and mappings are those of the restarted image once it has restarted.
            var environment = "";
            var deadline = Stopwatch.StartNew();
            while (!environment.Contains(StartupEnvironment.WriteXorExecute, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(20) && !process.HasExited)
            {
                Thread.Sleep(50);
                environment = File.ReadAllText($"/proc/{process.Id}/environ");
            }

            var maps = File.ReadAllText($"/proc/{process.Id}/maps");
            environment.Split('\0').Should().Contain($"{StartupEnvironment.WriteXorExecute}=0").And.Contain("GLIBC_TUNABLES=glibc.malloc.hugetlb=1");
            maps.Should().NotContain("doublemapper", "the runtime maps JIT code twice only with W^X on");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
