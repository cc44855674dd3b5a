using System.Runtime.InteropServices;
using Harness.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Kernels;

/// <summary>
/// Kernel buffers are TorchSharp tensors on the variant's device, so a CUDA variant reads the very device memory
/// the reference used (no staging copies) and the harness reads results back with one conversion.
/// </summary>
internal static partial class TorchBuffers
{
    /// <summary>Address of a tensor's first element (host or device), as torch's data_ptr().</summary>
    public static nint Pointer(Tensor t)
    {
        // Invariant: every buffer handed to a kernel is contiguous, so data_ptr addresses a dense row-major block.
        if (!t.is_contiguous())
        {
            throw new InvalidOperationException("kernel buffers must be contiguous");
        }

        return DataPointer(t.Handle);
    }

    public static Tensor FromHost(HostTensor h, ScalarType dtype, Device device)
    {
        using var wide = tensor(h.Data, h.Shape, ScalarType.Float64);
        return wide.to(dtype, device).contiguous();
    }

    /// <summary>A tensor of NaN: whatever a kernel leaves unwritten stays visible.</summary>
    public static Tensor Poisoned(long[] shape, ScalarType dtype, Device device) =>
        full(shape, double.NaN, dtype: dtype, device: device);

    public static HostTensor ToHost(Tensor t, ElementType dtype)
    {
        using var wide = t.to(ScalarType.Float64, CPU).contiguous();
        return new HostTensor(t.shape, wide.data<double>().ToArray(), dtype);
    }

    public static ScalarType ScalarTypeOf(ElementType t) => t switch
    {
        ElementType.Float64 => ScalarType.Float64,
        ElementType.Float32 => ScalarType.Float32,
        ElementType.Float16 => ScalarType.Float16,
        ElementType.BFloat16 => ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial nint DataPointer(nint tensorHandle);
}
