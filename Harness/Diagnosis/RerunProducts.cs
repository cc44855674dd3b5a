using System.Runtime.InteropServices;
using Harness.Model;
using TorchSharp;

namespace Harness.Diagnosis;

/// <summary>
/// The products of a stage or segment rerun: those later code keeps (a segment's intermediates, isolated products) as
/// host tensors, and those that are only judged held in libtorch's float64 memory and read there. Copying every judged
/// product into a fresh float64 array cost about as much CPU as the reruns themselves (a copy and a page fault for
/// every fresh page, a hundred reruns over a diagnosis), and the array was dropped right after its discrepancy.
/// </summary>
internal sealed class RerunProducts : IDisposable
{
    private readonly Dictionary<string, HostTensor> host = [];
    private readonly Dictionary<string, torch.Tensor> held = [];

    /// <summary>The products copied to the host.</summary>
    public IReadOnlyDictionary<string, HostTensor> Host => host;

    public void Add(string name, HostTensor tensor) => host[name] = tensor;

    /// <summary>Takes ownership of <paramref name="tensor"/>, a product read in place until this is disposed.</summary>
    // Invariant: a held tensor is a contiguous float64 CPU tensor outside any dispose scope (ValuesOf reads its storage
    // as doubles; only Dispose frees it).
    public void Hold(string name, torch.Tensor tensor)
    {
        if (tensor.dtype != torch.ScalarType.Float64 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
        {
            throw new ArgumentException($"a held product must be a contiguous float64 CPU tensor; {name} is {tensor.dtype} on {tensor.device_type}");
        }

        held.Add(name, tensor);
    }

    /// <summary>Moves every tensor <paramref name="other"/> holds into this one (which then disposes them).</summary>
    public void TakeHeld(RerunProducts other)
    {
        foreach (var (name, tensor) in other.held)
        {
            held.Add(name, tensor);
        }

        other.held.Clear();
    }

    public long[] ShapeOf(string name) => host.TryGetValue(name, out var t) ? t.Shape : held[name].shape;

    /// <summary>The product's values in row-major order, valid until this is disposed.</summary>
    public ReadOnlySpan<double> ValuesOf(string name) =>
        host.TryGetValue(name, out var t) ? t.Data : MemoryMarshal.Cast<byte, double>(held[name].bytes);

    public void Dispose()
    {
        foreach (var tensor in held.Values)
        {
            tensor.Dispose();
        }

        held.Clear();
    }
}
