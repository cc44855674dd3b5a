using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Kernels;

/// <summary>
/// Buffers as TorchSharp tensors on CUDA, so a CUDA variant reads the very device memory the reference used (no
/// staging copies) and the harness reads results back with one conversion.
/// </summary>
internal sealed partial class TorchKernelBuffers : KernelBuffers
{
    private readonly List<Tensor> owned = [];
    private readonly ScalarType dtype;
    private readonly WeightLayout layout;
    private readonly Device device;

    public TorchKernelBuffers(KernelVariant variant)
    {
        if (!cuda.is_available())
        {
            throw new DeviceUnavailableException($"variant '{variant.Name}' runs on CUDA, and no CUDA device is available to TorchSharp here");
        }

        (dtype, layout, device) = (variant.Dtype.ToScalarType(), variant.Layout, CUDA);
    }

    public override nint Input(HostTensor tensor) => Keep(Put(tensor));

    public override nint Matrix(HostTensor weight)
    {
        using var scope = NewDisposeScope();
        return Keep(Laid(weight));
    }

    public override nint Stacked(HostTensor first, HostTensor second, HostTensor third, bool matrices)
    {
        // Intermediates (transposes, the parts) die with this scope; the stacked buffer is kept until Dispose.
        using var scope = NewDisposeScope();
        Tensor Part(HostTensor h) => matrices ? Laid(h) : Put(h);
        return Keep(stack([Part(first), Part(second), Part(third)]).contiguous());
    }

    public override OutputBuffer Output(long[] shape, ElementType type)
    {
        var buffer = full(shape, double.NaN, dtype: type.ToScalarType(), device: device);
        Keep(buffer);
        return new TorchOutput(buffer);
    }

    public override nint Workspace(ulong bytes)
    {
        var pointer = Keep(empty([checked((long)bytes)], ScalarType.Byte, device));
        // Invariant: torch's allocators give every fresh block at least the alignment bert_kernels.h promises.
        if (pointer % BkConstants.AlignmentCuda != 0)
        {
            throw new InvalidOperationException($"torch gave a {bytes}-byte workspace at 0x{pointer:x}, not {BkConstants.AlignmentCuda}-byte aligned");
        }

        return pointer;
    }

    public override void Synchronize() => cuda.synchronize(device);

    public override void Dispose()
    {
        foreach (var t in owned)
        {
            t.Dispose();
        }

        owned.Clear();
    }

    private Tensor Put(HostTensor h) => HostTensors.ToTorch(h, dtype, device);

    private Tensor Laid(HostTensor weight) => layout == WeightLayout.InOut ? Put(weight).t().contiguous() : Put(weight);

    private nint Keep(Tensor t)
    {
        owned.Add(t.DetachFromDisposeScope());
        return Pointer(t);
    }

    /// <summary>Address of a tensor's first element (host or device), as torch's data_ptr().</summary>
    private static nint Pointer(Tensor t)
    {
        // Invariant: every buffer handed to a kernel is contiguous, so data_ptr addresses a dense row-major block.
        if (!t.is_contiguous())
        {
            throw new InvalidOperationException("kernel buffers must be contiguous");
        }

        return DataPointer(t.Handle);
    }

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial nint DataPointer(nint tensorHandle);

    private sealed class TorchOutput(Tensor buffer) : OutputBuffer
    {
        public override nint Pointer => TorchKernelBuffers.Pointer(buffer);

        public override void Poison() => buffer.fill_(double.NaN);

        public override HostTensor Read() => HostTensors.ToHost(buffer);

        public override byte[] Bytes()
        {
            using var host = buffer.cpu();
            return host.bytes.ToArray();
        }

        public override bool Holds(byte[] bytes)
        {
            using var host = buffer.cpu();
            return host.bytes.SequenceEqual(bytes);
        }
    }
}
