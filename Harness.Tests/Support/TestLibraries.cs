using Harness.Native;

namespace Harness.Tests.Support;

/// <summary>
/// The test libraries CMake builds beside the project's own (native/CMakeLists.txt): the out-of-tree example, the
/// frozen ABI 1 library, the layout probe and the test-variants library (harness self-test variants).
/// </summary>
internal static class TestLibraries
{
    private static readonly Lazy<string> Directory = new(() => System.IO.Path.GetDirectoryName(KernelLibrary.BuiltIn().Path)!);

    public static string ExternalExample => Path("libbk_external_example.so");

    public static string Abi1 => Path("libbk_abi1_test.so");

    public static string LayoutProbe => Path("libbk_layout_probe.so");

    public static string TestVariants => Path("libbk_test_variants.so");

    private static string Path(string file) => System.IO.Path.Combine(Directory.Value, file);
}
