using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Torch;
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

    /// <summary>A host tensor laid out as a kernel buffer: the variant's dtype, on its device, contiguous.</summary>
    public static Tensor FromHost(HostTensor h, ScalarType dtype, Device device) => HostTensors.ToTorch(h, dtype, device);

    /// <summary>A tensor of NaN: whatever a kernel leaves unwritten stays visible.</summary>
    public static Tensor Poisoned(long[] shape, ScalarType dtype, Device device) =>
        full(shape, double.NaN, dtype: dtype, device: device);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial nint DataPointer(nint tensorHandle);
}
