using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// The exports of one loaded library behind one shape, so <see cref="KernelLibrary"/> does not care how they were
/// bound. Raw pointers only: strings and structs are pinned once, in KernelLibrary.
/// </summary>
internal unsafe interface IKernelExports
{
    /// <summary>Whether the ABI 2 exports (tensor table, workspace size) exist.</summary>
    bool HasAbi2Exports { get; }

    /// <summary>Address of bk_run, for callers that drive it from native code (the bench's timer).</summary>
    nint RunEntryPoint { get; }

    int AbiVersion();

    int VariantCount();

    int VariantInfoAt(int index, BkVariantInfo* info);

    int TensorCount();

    int TensorInfoAt(int index, BkTensorInfo* info);

    int WorkspaceSize(byte* name, BkParams* parameters, ulong* bytes);

    int Run(byte* name, BkParams* parameters);

    nint LastError();
}

/// <summary>The project's own library: LibraryImport, resolved by <see cref="KernelLibraryResolver"/>.</summary>
internal sealed unsafe partial class BuiltInImports : IKernelExports
{
    public const string LibraryName = "bertkernels";

    public BuiltInImports(nint handle) => RunEntryPoint = NativeLibrary.GetExport(handle, "bk_run");

    public bool HasAbi2Exports => true;

    public nint RunEntryPoint { get; }

    public int AbiVersion() => NativeAbiVersion();

    public int VariantCount() => NativeVariantCount();

    public int VariantInfoAt(int index, BkVariantInfo* info) => NativeVariantInfoAt(index, info);

    public int TensorCount() => NativeTensorCount();

    public int TensorInfoAt(int index, BkTensorInfo* info) => NativeTensorInfoAt(index, info);

    public int WorkspaceSize(byte* name, BkParams* parameters, ulong* bytes) => NativeWorkspaceSize(name, parameters, bytes);

    public int Run(byte* name, BkParams* parameters) => NativeRun(name, parameters);

    public nint LastError() => NativeLastError();

    [LibraryImport(LibraryName, EntryPoint = "bk_abi_version")]
    private static partial int NativeAbiVersion();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_count")]
    private static partial int NativeVariantCount();

    [LibraryImport(LibraryName, EntryPoint = "bk_variant_info_at")]
    private static partial int NativeVariantInfoAt(int index, BkVariantInfo* info);

    [LibraryImport(LibraryName, EntryPoint = "bk_tensor_count")]
    private static partial int NativeTensorCount();

    [LibraryImport(LibraryName, EntryPoint = "bk_tensor_info_at")]
    private static partial int NativeTensorInfoAt(int index, BkTensorInfo* info);

    [LibraryImport(LibraryName, EntryPoint = "bk_workspace_size")]
    private static partial int NativeWorkspaceSize(byte* name, BkParams* parameters, ulong* bytes);

    [LibraryImport(LibraryName, EntryPoint = "bk_run")]
    private static partial int NativeRun(byte* name, BkParams* parameters);

    [LibraryImport(LibraryName, EntryPoint = "bk_last_error")]
    private static partial nint NativeLastError();
}

/// <summary>
/// An out-of-tree library (--variant-lib): every export looked up by name, so an ABI 1 library (five exports) loads
/// and a missing export is one clear error, and any number of such libraries can live in one process.
/// </summary>
internal sealed unsafe class ExportTable : IKernelExports
{
    private readonly delegate* unmanaged<int> abiVersion;
    private readonly delegate* unmanaged<int> variantCount;
    private readonly delegate* unmanaged<int, BkVariantInfo*, int> variantInfoAt;
    private readonly delegate* unmanaged<int> tensorCount;
    private readonly delegate* unmanaged<int, BkTensorInfo*, int> tensorInfoAt;
    private readonly delegate* unmanaged<byte*, BkParams*, ulong*, int> workspaceSize;
    private readonly delegate* unmanaged<byte*, BkParams*, int> run;
    private readonly delegate* unmanaged<nint> lastError;

    public ExportTable(nint handle, string path)
    {
        nint Required(string name) => NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new AbiMismatchException($"kernel library {path} does not export {name}, which every bert_kernels.h library must");
        nint Optional(string name) => NativeLibrary.TryGetExport(handle, name, out var address) ? address : 0;

        abiVersion = (delegate* unmanaged<int>)Required("bk_abi_version");
        variantCount = (delegate* unmanaged<int>)Required("bk_variant_count");
        variantInfoAt = (delegate* unmanaged<int, BkVariantInfo*, int>)Required("bk_variant_info_at");
        RunEntryPoint = Required("bk_run");
        run = (delegate* unmanaged<byte*, BkParams*, int>)RunEntryPoint;
        lastError = (delegate* unmanaged<nint>)Required("bk_last_error");
        tensorCount = (delegate* unmanaged<int>)Optional("bk_tensor_count");
        tensorInfoAt = (delegate* unmanaged<int, BkTensorInfo*, int>)Optional("bk_tensor_info_at");
        workspaceSize = (delegate* unmanaged<byte*, BkParams*, ulong*, int>)Optional("bk_workspace_size");
        MissingAbi2Exports = new[] { ("bk_tensor_count", (nint)tensorCount), ("bk_tensor_info_at", (nint)tensorInfoAt), ("bk_workspace_size", (nint)workspaceSize) }
            .Where(e => e.Item2 == 0).Select(e => e.Item1).ToList();
    }

    /// <summary>The ABI 2 exports this library lacks (all three for an ABI 1 library, none for an ABI 2 one).</summary>
    public IReadOnlyList<string> MissingAbi2Exports { get; }

    public bool HasAbi2Exports => MissingAbi2Exports.Count == 0;

    public nint RunEntryPoint { get; }

    public int AbiVersion() => abiVersion();

    public int VariantCount() => variantCount();

    public int VariantInfoAt(int index, BkVariantInfo* info) => variantInfoAt(index, info);

    public int TensorCount() => tensorCount();

    public int TensorInfoAt(int index, BkTensorInfo* info) => tensorInfoAt(index, info);

    public int WorkspaceSize(byte* name, BkParams* parameters, ulong* bytes) => workspaceSize(name, parameters, bytes);

    public int Run(byte* name, BkParams* parameters) => run(name, parameters);

    public nint LastError() => lastError();
}
