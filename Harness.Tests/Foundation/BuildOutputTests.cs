using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Harness.Tests.Foundation;

/// <summary>
/// The harness's own build output (Harness/bin/&lt;configuration&gt;/net10.0, built before these tests): its packages'
/// assemblies are ReadyToRun images (Harness.csproj compiles them, so neither the harness nor its worker JITs them at
/// start). Inconclusive where that output is absent (a published bundle) or on another host than linux-x64.
/// </summary>
public sealed class BuildOutputTests
{
    [TestCase("TorchSharp.dll")]
    [TestCase("System.CommandLine.dll")]
    [TestCase("Spectre.Console.dll")]
    [TestCase("ScottPlot.dll")]
    public void PackageAssembly_InHarnessOutput_IsReadyToRunImage(string assembly)
    {
        Assume.That(RuntimeInformation.RuntimeIdentifier, Is.EqualTo("linux-x64"));
        var path = Path.Combine(HarnessBuildOutput.Folder(), assembly);
        Assume.That(File.Exists(path), Is.True, $"no harness build output at {path}");

        ManagedNativeHeaderSize(path).Should().BePositive($"{assembly} should carry precompiled code");
    }

    [Test]
    public void HarnessAssembly_InHarnessOutput_IsPlainIl()
    {
        // The harness's own assembly is left to the JIT (its hot loops are compiled optimised at once anyway): a check
        // that the header test above reads a real difference.
        var path = Path.Combine(HarnessBuildOutput.Folder(), "harness.dll");
        Assume.That(File.Exists(path), Is.True, $"no harness build output at {path}");

        ManagedNativeHeaderSize(path).Should().Be(0);
    }

    // A ReadyToRun image names its native code in the CLI header's ManagedNativeHeader directory; IL-only assemblies
    // leave it empty.
    private static int ManagedNativeHeaderSize(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size ?? 0;
    }
}
