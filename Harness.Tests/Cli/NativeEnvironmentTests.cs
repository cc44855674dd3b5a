using System.Runtime.InteropServices;
using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>
/// The native libraries' settings are written to the C library's environment, which they read (not .NET's copy), and
/// never over a value already there.
/// </summary>
public sealed partial class NativeEnvironmentTests
{
    [Test]
    public void SetIfUnset_NameUnset_ValueInTheCEnvironment()
    {
        var name = UniqueName();
        NativeEnvironment.SetIfUnset(name, "passive");
        CValue(name).Should().Be("passive");
    }

    [Test]
    public void SetIfUnset_NameAlreadySet_KeepsTheValueThere()
    {
        var name = UniqueName();
        SetEnvironment(name, "user's", overwrite: 1).Should().Be(0);
        NativeEnvironment.SetIfUnset(name, "ours");
        CValue(name).Should().Be("user's");
    }

    [Test]
    public void Prepare_SettingsUnsetByTheUser_OpenMpPassiveAndMklOnItsAvx2Branch()
    {
        // A value the test's own environment gave is the user's and stays; CI gives none.
        var expected = new[] { (Name: NativeEnvironment.OpenMpWaitPolicy, Value: "passive"), (Name: NativeEnvironment.MklCodeBranch, Value: "AVX2") }
            .Select(s => (s.Name, Value: (string?)(Environment.GetEnvironmentVariable(s.Name) ?? s.Value)))
            .ToList();
        NativeEnvironment.Prepare();
        expected.Select(s => (s.Name, Value: CValue(s.Name))).Should().Equal(expected);
    }

    private static string UniqueName() => $"HARNESS_TEST_{Guid.NewGuid():N}";

    private static string? CValue(string name) => Marshal.PtrToStringUTF8(GetEnvironment(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironment(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
