using System.CommandLine;
using Harness.Native;

namespace Harness.Cli;

/// <summary>Options shared by several commands.</summary>
public static class CommonOptions
{
    public static Option<string?> VariantLib { get; } = new("--variant-lib")
    {
        Description = "An out-of-tree library implementing native/include/bert_kernels.h whose variants join the built-in ones.",
    };

    public static Option<string?> NativeLib { get; } = new("--native-lib")
    {
        Description = $"Path of the project's kernel library (default: next to the program, native/build/release, or ${KernelLibraryResolver.EnvironmentVariable}).",
    };

    public static void ApplyNativeLib(ParseResult parse)
    {
        if (parse.GetValue(NativeLib) is { } path)
        {
            KernelLibraryResolver.ExplicitBuiltInPath = path;
        }
    }
}
