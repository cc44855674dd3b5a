using Harness.Model;
using Harness.Torch;
using TorchSharp;

namespace Harness.Reference;

/// <summary>
/// Every canonical intermediate of one reference forward, input first, in <see cref="TensorNames.DataflowOrder"/>.
/// Tensors live on the run's device in the run dtype, except the fp32 accumulators, which are float32 in a lower
/// dtype run and float64 in a float64 run. Owns its tensors.
/// </summary>
public sealed class LayerTrace : IDisposable
{
    private readonly Dictionary<string, torch.Tensor> tensors;

    internal LayerTrace(Dictionary<string, torch.Tensor> tensors, ElementType dtype, LayerShape shape)
    {
        // Invariant: the trace holds exactly the canonical names.
        foreach (var name in TensorNames.DataflowOrder)
        {
            if (!tensors.ContainsKey(name))
            {
                throw new InvalidOperationException($"reference trace is missing '{name}'");
            }
        }

        this.tensors = tensors;
        Dtype = dtype;
        Shape = shape;
    }

    public static IReadOnlyList<string> Names => TensorNames.DataflowOrder;

    public ElementType Dtype { get; }

    public LayerShape Shape { get; }

    public torch.Tensor Tensor(string name) =>
        tensors.TryGetValue(name, out var t) ? t : throw new ArgumentException($"'{name}' is not in the reference trace; known: {string.Join(", ", Names)}", nameof(name));

    /// <summary>A float64 host copy; its Dtype is the element type the tensor is held in.</summary>
    public HostTensor ToHost(string name) => HostTensors.ToHost(Tensor(name));

    public void Dispose()
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        tensors.Clear();
    }
}
