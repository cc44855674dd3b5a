using System.Runtime.InteropServices;

namespace Harness.Native;

// Two import sets with identical signatures: the project's own library and one out-of-tree library given by path
// (--variant-lib). Both names are resolved by KernelLibraryResolver, never by the default probing.

internal static partial class BuiltInImports
{
    public const string LibraryName = "bertkernels";

    [LibraryImport(LibraryName, EntryPoint = "bk_abi_version")]
    public static partial int AbiVersion();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_count")]
    public static partial int VariantCount();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_info_at")]
    public static partial int VariantInfoAt(int index, out BkVariantInfo info);

    [LibraryImport(LibraryName, EntryPoint = "bk_run", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Run(string? name, in BkParams parameters);

    [LibraryImport(LibraryName, EntryPoint = "bk_last_error")]
    public static partial nint LastError();
}

internal static partial class ExternalImports
{
    public const string LibraryName = "bertkernels-external";

    [LibraryImport(LibraryName, EntryPoint = "bk_abi_version")]
    public static partial int AbiVersion();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_count")]
    public static partial int VariantCount();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_info_at")]
    public static partial int VariantInfoAt(int index, out BkVariantInfo info);

    [LibraryImport(LibraryName, EntryPoint = "bk_run", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Run(string? name, in BkParams parameters);

    [LibraryImport(LibraryName, EntryPoint = "bk_last_error")]
    public static partial nint LastError();
}
