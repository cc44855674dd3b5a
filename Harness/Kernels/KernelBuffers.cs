using Harness.Model;

namespace Harness.Kernels;

/// <summary>
/// Where a prepared call's buffers live, and the only place that makes them: each input laid out in the variant's
/// dtype (matrices in its weight layout), each output poisoned with NaN, the workspace aligned as bert_kernels.h
/// promises. Every buffer stays valid until the set is disposed.
/// </summary>
internal abstract class KernelBuffers : IDisposable
{
    /// <summary>The buffers of a variant on its device: torch tensors on CUDA, plain aligned host memory on the CPU.</summary>
    public static KernelBuffers For(KernelVariant variant) => variant.Device == KernelDevice.Cpu
        ? new HostKernelBuffers(variant.Dtype, variant.Layout)
        : new TorchKernelBuffers(variant);

    /// <summary>A tensor as the kernel reads it: the variant's dtype, row-major.</summary>
    public abstract nint Input(HostTensor tensor);

    /// <summary>A weight matrix given in nn.Linear order ([out][in]), laid out in the variant's weight layout.</summary>
    public abstract nint Matrix(HostTensor weight);

    /// <summary>Three same-shaped tensors one after another, as a [3, ...] tensor; matrices in the weight layout.</summary>
    public abstract nint Stacked(HostTensor first, HostTensor second, HostTensor third, bool matrices);

    /// <summary>An output of <paramref name="type"/>, poisoned.</summary>
    public abstract OutputBuffer Output(long[] shape, ElementType type);

    /// <summary>Scratch memory of <paramref name="bytes"/> bytes, aligned for the device.</summary>
    public abstract nint Workspace(ulong bytes);

    /// <summary>Waits for everything queued on the device (nothing to wait for on the CPU).</summary>
    public abstract void Synchronize();

    public abstract void Dispose();
}

/// <summary>One output buffer: its address, its poisoning, and its read-back.</summary>
internal abstract class OutputBuffer
{
    public abstract nint Pointer { get; }

    /// <summary>Fills every element with NaN, so whatever a kernel leaves unwritten stays visible.</summary>
    public abstract void Poison();

    /// <summary>A float64 host copy; its Dtype is the element type the buffer holds.</summary>
    public abstract HostTensor Read();

    /// <summary>The buffer's bytes as they are now.</summary>
    public abstract byte[] Bytes();

    /// <summary>Whether the buffer holds exactly <paramref name="bytes"/>.</summary>
    public abstract bool Holds(byte[] bytes);
}
