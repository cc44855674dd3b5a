using System.CommandLine;
using Harness.Kernels;
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

    public static Option<bool> Force { get; } = new("--force")
    {
        Description = "Replace committed results (an existing --json or --report under a repository's results/).",
    };

    /// <summary>The largest fp16 accumulation group accepted; any k beyond a dot product's length sums it whole.</summary>
    public const int MaxAccumulationGroup = 65536;

    /// <summary>--accumulation-group as given (null when absent), refused outside 1..<see cref="MaxAccumulationGroup"/>.</summary>
    public static int? CheckAccumulationGroup(int? k) => k switch
    {
        null => null,
        < 1 or > MaxAccumulationGroup => throw new ArgumentException($"--accumulation-group must be from 1 to {MaxAccumulationGroup} (leave it out for the scenario's or the variant's default), got {k}"),
        _ => k,
    };

    /// <summary>A group given to a variant that accumulates in fp32 would be ignored: refused instead.</summary>
    public static void CheckAccumulationGroupFor(KernelVariant variant, int? k)
    {
        if (k is not null && variant.DefaultAccumulationGroup == 0)
        {
            throw new ArgumentException($"--accumulation-group {k}: variant '{variant.Name}' accumulates in fp32 and takes no fp16 accumulation group");
        }
    }

    public static void ApplyNativeLib(ParseResult parse)
    {
        // Set even when absent, so that a process running several command lines (the tests) carries none over.
        KernelLibraryResolver.ExplicitBuiltInPath = parse.GetValue(NativeLib);
    }
}
