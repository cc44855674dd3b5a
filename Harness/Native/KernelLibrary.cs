using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Native;

/// <summary>
/// One loaded library implementing bert_kernels.h: the project's own (<see cref="BuiltIn"/>, always the current ABI)
/// or an out-of-tree one (<see cref="External"/>, ABI 1 or 2). Checks the ABI version on open and turns every status
/// into a typed exception.
/// </summary>
public sealed unsafe class KernelLibrary
{
    private static readonly ConcurrentDictionary<string, Lazy<KernelLibrary>> Externals = new();
    private readonly IKernelExports exports;

    private KernelLibrary(string path, IKernelExports exports, bool isBuiltIn)
    {
        Path = path;
        this.exports = exports;
        IsBuiltIn = isBuiltIn;
        AbiVersion = exports.AbiVersion();
        var accepted = isBuiltIn ? [BkConstants.AbiVersion] : new[] { BkConstants.AbiVersion1, BkConstants.AbiVersion };
        if (!accepted.Contains(AbiVersion))
        {
            throw new AbiMismatchException($"kernel library {path} implements ABI version {AbiVersion}, this harness drives {string.Join(" or ", accepted)}");
        }

        if (AbiVersion >= 2 && exports is ExportTable { MissingAbi2Exports: { Count: > 0 } missing })
        {
            throw new AbiMismatchException($"kernel library {path} says ABI {AbiVersion} but does not export {string.Join(", ", missing)}");
        }
    }

    /// <summary>Where the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>The library's bk_abi_version(): 1 (synchronous runs, no workspace, no tensor table) or 2.</summary>
    public int AbiVersion { get; }

    public bool IsBuiltIn { get; }

    /// <summary>Address of this library's bk_run, for native code that calls it directly (the bench's timer).</summary>
    public nint RunEntryPoint => exports.RunEntryPoint;

    public static KernelLibrary BuiltIn()
    {
        var path = KernelLibraryResolver.LoadBuiltIn(out var handle);
        return new KernelLibrary(path, new BuiltInImports(handle), isBuiltIn: true);
    }

    /// <summary>An out-of-tree library by path; loading the same file again gives the same instance.</summary>
    public static KernelLibrary External(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var lazy = Externals.GetOrAdd(full, f => new Lazy<KernelLibrary>(() =>
        {
            var handle = KernelLibraryResolver.LoadExternal(f);
            return new KernelLibrary(f, new ExportTable(handle, f), isBuiltIn: false);
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load is not cached: the next attempt (a rebuilt file) tries again.
            Externals.TryRemove(full, out _);
            throw;
        }
    }

    /// <summary>The raw variant descriptions, in library order (ABI 1 ones with the ABI 2 fields zero).</summary>
    public IReadOnlyList<BkVariantInfo> VariantInfos()
    {
        var count = exports.VariantCount();
        var list = new List<BkVariantInfo>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(VariantInfo(i));
        }

        return list;
    }

    /// <summary>Asks for the info of a given index, including invalid ones (for ABI-misuse tests).</summary>
    public BkVariantInfo VariantInfo(int index)
    {
        // Invariant: the struct is zeroed first, so an ABI 1 library, which writes only its 56-byte prefix, leaves
        // flags 0 (synchronous, not test-only) and limits 0 (any positive value).
        var info = default(BkVariantInfo);
        NativeStatus.ThrowIfFailed(exports.VariantInfoAt(index, &info), $"bk_variant_info_at({index})", LastError);
        return info;
    }

    /// <summary>The library's tensor table (ABI 2); empty for an ABI 1 library, which has none.</summary>
    public IReadOnlyList<TensorTableRow> TensorTable()
    {
        if (AbiVersion < 2)
        {
            return [];
        }

        var count = exports.TensorCount();
        var rows = new List<TensorTableRow>(count);
        for (var i = 0; i < count; i++)
        {
            var info = default(BkTensorInfo);
            NativeStatus.ThrowIfFailed(exports.TensorInfoAt(i, &info), $"bk_tensor_info_at({i})", LastError);
            rows.Add(new TensorTableRow(
                info.Index,
                Marshal.PtrToStringUTF8(info.Name) ?? string.Empty,
                info.Kind,
                info.Rank,
                [info.Axes[0], info.Axes[1], info.Axes[2], info.Axes[3]]));
        }

        return rows;
    }

    /// <summary>bk_workspace_size for a run of <paramref name="variant"/> on these params; 0 for an ABI 1 library.</summary>
    public ulong WorkspaceSize(string variant, in BkParams parameters)
    {
        if (AbiVersion < 2)
        {
            return 0;
        }

        ulong bytes = 0;
        var name = Utf8(variant);
        fixed (byte* n = name)
        fixed (BkParams* p = &parameters)
        {
            NativeStatus.ThrowIfFailed(exports.WorkspaceSize(n, p, &bytes), $"bk_workspace_size('{variant}')", LastError);
        }

        return bytes;
    }

    /// <summary>Runs a variant; the params struct is passed as is (ABI fields included, so misuse can be tested).</summary>
    public void Run(string? variant, in BkParams parameters)
    {
        var name = Utf8(variant);
        int status;
        fixed (byte* n = name)
        fixed (BkParams* p = &parameters)
        {
            status = exports.Run(n, p);
        }

        NativeStatus.ThrowIfFailed(status, $"variant '{variant}'", LastError);
    }

    public string LastError() => Marshal.PtrToStringUTF8(exports.LastError()) ?? string.Empty;

    /// <summary>
    /// A params struct with the ABI fields set and everything else zero, as the header asks. For an ABI 1 library the
    /// struct size is the ABI 1 prefix, so the library reads exactly the fields it knows.
    /// </summary>
    public static BkParams NewParams(int abiVersion = BkConstants.AbiVersion) => new()
    {
        AbiVersion = abiVersion,
        StructSize = abiVersion == BkConstants.AbiVersion1 ? BkConstants.ParamsAbi1Size : Marshal.SizeOf<BkParams>(),
    };

    /// <summary>NUL-terminated UTF-8, or null for a null name (the library must refuse that itself).</summary>
    private static byte[]? Utf8(string? s) => s is null ? null : Encoding.UTF8.GetBytes(s + "\0");
}

/// <summary>One row of a library's tensor table (bk_tensor_info), strings read.</summary>
public sealed record TensorTableRow(int Index, string Name, int Kind, int Rank, IReadOnlyList<int> Axes);
