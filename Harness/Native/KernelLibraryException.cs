namespace Harness.Native;

/// <summary>A failure reported by a kernel library; <see cref="Status"/> is the BK_* code, the message is the library's own.</summary>
public class KernelLibraryException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>BK_ERR_INVALID_ARGUMENT: a null required pointer, a non-positive dimension, a bad code.</summary>
public sealed class KernelArgumentException(string message) : KernelLibraryException(BkConstants.ErrInvalidArgument, message);

/// <summary>BK_ERR_UNSUPPORTED_SHAPE: valid dimensions the variant does not implement.</summary>
public sealed class UnsupportedShapeException(string message) : KernelLibraryException(BkConstants.ErrUnsupportedShape, message);

/// <summary>BK_ERR_UNKNOWN_VARIANT.</summary>
public sealed class UnknownVariantException(string message) : KernelLibraryException(BkConstants.ErrUnknownVariant, message);

/// <summary>BK_ERR_ABI_MISMATCH, or a library whose bk_abi_version() differs from ours.</summary>
public sealed class AbiMismatchException(string message) : KernelLibraryException(BkConstants.ErrAbiMismatch, message);

/// <summary>BK_ERR_DEVICE: a CUDA call or launch failed (the message carries the CUDA error string).</summary>
public sealed class KernelDeviceException(string message) : KernelLibraryException(BkConstants.ErrDevice, message);

/// <summary>BK_ERR_WORKSPACE: params.workspace missing, too small or misaligned for the run.</summary>
public sealed class KernelWorkspaceException(string message) : KernelLibraryException(BkConstants.ErrWorkspace, message);

/// <summary>BK_ERR_INTERNAL, or a status code this harness does not know.</summary>
public sealed class KernelInternalException(int status, string message) : KernelLibraryException(status, message);

/// <summary>No kernel library could be found or loaded; the message lists where it looked.</summary>
public sealed class KernelLibraryNotFoundException(string message, Exception? inner = null) : Exception(message, inner);
