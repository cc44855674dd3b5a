using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// One loaded library implementing bert_kernels.h: the project's own (<see cref="BuiltIn"/>) or an out-of-tree one
/// (<see cref="External"/>). Checks the ABI version on open and turns every status into a typed exception.
/// </summary>
public sealed class KernelLibrary
{
    private readonly Func<int> abiVersion;
    private readonly Func<int> variantCount;
    private readonly VariantInfoAt variantInfoAt;
    private readonly RunVariant run;
    private readonly Func<nint> lastError;

    private KernelLibrary(string path, Func<int> abiVersion, Func<int> variantCount, VariantInfoAt variantInfoAt, RunVariant run, Func<nint> lastError)
    {
        Path = path;
        this.abiVersion = abiVersion;
        this.variantCount = variantCount;
        this.variantInfoAt = variantInfoAt;
        this.run = run;
        this.lastError = lastError;
        var version = abiVersion();
        if (version != BkConstants.AbiVersion)
        {
            throw new AbiMismatchException($"kernel library {path} implements ABI version {version}, this harness needs {BkConstants.AbiVersion}");
        }
    }

    private delegate int VariantInfoAt(int index, out BkVariantInfo info);

    private delegate int RunVariant(string? name, in BkParams parameters);

    /// <summary>Where the library was loaded from.</summary>
    public string Path { get; }

    public static KernelLibrary BuiltIn() => new(
        KernelLibraryResolver.LoadBuiltIn(),
        BuiltInImports.AbiVersion,
        BuiltInImports.VariantCount,
        BuiltInImports.VariantInfoAt,
        BuiltInImports.Run,
        BuiltInImports.LastError);

    public static KernelLibrary External(string path)
    {
        KernelLibraryResolver.LoadExternal(path);
        return new KernelLibrary(
            KernelLibraryResolver.ExternalPath!,
            ExternalImports.AbiVersion,
            ExternalImports.VariantCount,
            ExternalImports.VariantInfoAt,
            ExternalImports.Run,
            ExternalImports.LastError);
    }

    public int AbiVersion => abiVersion();

    /// <summary>Address of this library's bk_run, for native code that calls it directly (the bench's timer).</summary>
    public nint RunEntryPoint => NativeLibrary.GetExport(NativeLibrary.Load(Path), "bk_run");

    /// <summary>The raw variant descriptions, in library order.</summary>
    public IReadOnlyList<BkVariantInfo> VariantInfos()
    {
        var count = variantCount();
        var list = new List<BkVariantInfo>(count);
        for (var i = 0; i < count; i++)
        {
            NativeStatus.ThrowIfFailed(variantInfoAt(i, out var info), $"bk_variant_info_at({i})", LastError);
            list.Add(info);
        }

        return list;
    }

    /// <summary>Asks for the info of a given index, including invalid ones (for ABI-misuse tests).</summary>
    public BkVariantInfo VariantInfo(int index)
    {
        NativeStatus.ThrowIfFailed(variantInfoAt(index, out var info), $"bk_variant_info_at({index})", LastError);
        return info;
    }

    /// <summary>Runs a variant; the params struct is passed as is (ABI fields included, so misuse can be tested).</summary>
    public void Run(string? variant, in BkParams parameters) =>
        NativeStatus.ThrowIfFailed(run(variant, in parameters), $"variant '{variant}'", LastError);

    public string LastError() => Marshal.PtrToStringUTF8(lastError()) ?? string.Empty;

    /// <summary>A params struct with the ABI fields set and everything else zero, as the header asks.</summary>
    public static BkParams NewParams() => new()
    {
        AbiVersion = BkConstants.AbiVersion,
        StructSize = Marshal.SizeOf<BkParams>(),
    };
}
