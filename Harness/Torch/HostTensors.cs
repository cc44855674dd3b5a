using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        ArgumentNullException.ThrowIfNull(host);
        if (Narrowed(host, type) is { } narrowed)
        {
            if (device is null || device.type == DeviceType.CPU)
            {
                return narrowed;
            }

            using (narrowed)
            {
                return narrowed.to(device);
            }
        }

        var wide = Narrowed(host, torch.ScalarType.Float64)!;
        using (wide)
        {
            // Invariant: see ToHost; the converted tensor is held by a variable while contiguous() reads it.
            using var converted = wide.to(type, device ?? torch.CPU);
            return converted.contiguous();
        }
    }

    /// <summary>
    /// A float64 CPU tensor over the host tensor's own array (no copy; the array stays pinned until the tensor is
    /// disposed). For inputs that are only read: an in-place op on it would change the host tensor.
    /// </summary>
    public static torch.Tensor ReadOnlyView(HostTensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var flat = torch.from_array(host.Data);
        return flat.view(host.Shape);
    }

    /// <summary>
    /// The host tensor written straight into a CPU tensor of <paramref name="type"/> when that is exact: float64, or a
    /// type that holds every value of the host's dtype (fp16 in fp16 or fp32, fp32 in fp32), with no NaN (whose payload
    /// bits are left to torch's conversion); null otherwise. One pass into memory libtorch allocates: torch.tensor(double[])
    /// would clone the array on the managed heap first, and a float64 torch copy on the way to fp16 or fp32 doubled the
    /// bytes written (a layer's weights are loaded so for every reference and kernel buffer; each fresh page costs a fault).
    /// </summary>
    private static torch.Tensor? Narrowed(HostTensor host, torch.ScalarType type)
    {
        var source = host.Data;
        if (type == torch.ScalarType.Float64)
        {
            var wide = torch.empty(host.Shape, torch.ScalarType.Float64);
            MemoryMarshal.AsBytes(source.AsSpan()).CopyTo(wide.bytes);
            return wide;
        }

        var holds = type switch
        {
            torch.ScalarType.Float32 => host.Dtype is ElementType.Float32 or ElementType.Float16,
            torch.ScalarType.Float16 => host.Dtype is ElementType.Float16,
            _ => false,
        };
        if (!holds || HasNaN(source))
        {
            return null;
        }

        var t = torch.empty(host.Shape, type);
        if (type == torch.ScalarType.Float32)
        {
            var target = MemoryMarshal.Cast<byte, float>(t.bytes);
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = (float)source[i];
            }
        }
        else
        {
            var target = MemoryMarshal.Cast<byte, Half>(t.bytes);
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = HalfConversions.ToHalf(source[i]);
            }
        }

        return t;
    }

    private static bool HasNaN(double[] values)
    {
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A float64 host copy; its Dtype is the element type the tensor is held in.</summary>
    public static HostTensor ToHost(torch.Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if ((t.dtype is torch.ScalarType.Float16 or torch.ScalarType.Float32) && t.device_type == DeviceType.CPU && t.is_contiguous()
            && Widened(t) is { } widened)
        {
            return new HostTensor(t.shape.ToArray(), widened, t.dtype.ToElementType());
        }

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
        // Uninitialised: the copy writes every element, so the allocator's zeroing would be a wasted pass.
        var data = GC.AllocateUninitializedArray<double>(checked((int)host.numel()));
        host.bytes.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        return new HostTensor(host.shape.ToArray(), data, t.dtype.ToElementType());
    }

    /// <summary>
    /// A contiguous CPU fp16 or fp32 tensor widened straight into a float64 array (exact), with no float64 torch copy in
    /// between (a kernel's outputs and a reference in fp16 are read back so); null when it holds a NaN, whose payload
    /// bits are left to torch's conversion.
    /// </summary>
    // Optimised at once (one call per tensor; a loop over it would otherwise start in unoptimised code).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[]? Widened(torch.Tensor t)
    {
        var bytes = t.bytes;
        var data = GC.AllocateUninitializedArray<double>(checked((int)t.numel()));
        if (t.dtype == torch.ScalarType.Float16)
        {
            var halves = MemoryMarshal.Cast<byte, Half>(bytes);
            for (var i = 0; i < data.Length; i++)
            {
                if (Half.IsNaN(halves[i]))
                {
                    return null;
                }

                data[i] = HalfConversions.ToDouble(halves[i]);
            }
        }
        else
        {
            var singles = MemoryMarshal.Cast<byte, float>(bytes);
            for (var i = 0; i < data.Length; i++)
            {
                if (float.IsNaN(singles[i]))
                {
                    return null;
                }

                data[i] = singles[i];
            }
        }

        return data;
    }
}
