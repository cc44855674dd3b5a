using Harness.Model;
using Harness.Torch;
using TorchSharp;

namespace Harness.Torch;

/// <summary>The one conversion between host tensors (float64 values + dtype) and torch tensors, used by every layer.</summary>
public static class HostTensors
{
    /// <summary>A torch copy of a host tensor, in <paramref name="type"/> (default float64, exact) on <paramref name="device"/> (default CPU).</summary>
    public static torch.Tensor ToTorch(HostTensor host, torch.ScalarType type = torch.ScalarType.Float64, torch.Device? device = null)
    {
        var wide = torch.tensor(host.Data, host.Shape, torch.ScalarType.Float64);
        if (type == torch.ScalarType.Float64 && device is null)
        {
            return wide;
        }

        using (wide)
        {
            // Invariant: see ToHost; the converted tensor is held by a variable while contiguous() reads it.
            using var converted = wide.to(type, device ?? torch.CPU);
            return converted.contiguous();
        }
    }

    /// <summary>A float64 host copy; its Dtype is the element type the tensor is held in.</summary>
    public static HostTensor ToHost(torch.Tensor t)
    {
        // Invariant: every intermediate is held by a variable until the copy is done. TorchSharp hands a tensor to
        // libtorch as a bare handle, so a temporary whose only use is as the receiver of the next call (as in
        // t.detach().to_type(...)) can be collected and finalized, its at::Tensor freed, while libtorch still reads it:
        // workers crashed with SIGSEGV inside copy_ under to_type, now and then, more often on a busy machine (a .NET
        // crash report of 2026-11-26 shows the frames).
        using var detached = t.detach();
        using var wide = detached.to_type(torch.ScalarType.Float64);
        using var onHost = wide.cpu();
        using var host = onHost.contiguous();
        // One block copy of the storage: the element accessor (data<double>().ToArray()) walks index by index and took
        // most of a diagnosis's time in conversions.
        var data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
        return new HostTensor(host.shape.ToArray(), data, t.dtype.ToElementType());
    }
}
