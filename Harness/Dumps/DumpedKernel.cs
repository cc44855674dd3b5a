using Harness.Model;

namespace Harness.Dumps;

/// <summary>
/// A dump read, named and shaped for judging: canonical tensors in canonical shapes, the kernel's working dtype (the
/// dtype its non-accumulator tensors are stored in; the float32 accumulators are float32 whatever it is), the layer
/// input when the dump holds one, and the names no map knew.
/// </summary>
public sealed record DumpedKernel(ElementType Dtype, IReadOnlyDictionary<string, HostTensor> Outputs, HostTensor? Input, IReadOnlyList<string> UnknownNames)
{
    public static DumpedKernel Load(string path, NameMap names, LayerShape shape)
    {
        var raw = TensorDumpFile.Read(path);
        var (known, unknown) = names.ResolveAll(raw.Select(t => t.Name).ToList(), $"dump '{path}'");
        var outputs = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        HostTensor? input = null;
        foreach (var mapped in known.Where(k => !k.IsParameter))
        {
            var tensor = raw.First(t => t.Name == mapped.Raw).Tensor;
            var canonical = ShapeAdapter.For(mapped.Target, tensor.Shape, shape, $"dump '{path}': '{mapped.Raw}'").ToCanonical(tensor);
            if (mapped.Target == TensorNames.Input)
            {
                input = canonical;
            }
            else
            {
                outputs[mapped.Target] = canonical;
            }
        }

        if (outputs.Count == 0)
        {
            throw new DumpFormatException($"dump '{path}': no tensor names a kernel output (found: {string.Join(", ", raw.Select(t => t.Name))}); give a map with --names");
        }

        var dtype = outputs.Where(p => !TensorNames.IsFloat32Accumulator(p.Key)).Select(p => p.Value.Dtype).DefaultIfEmpty(ElementType.Float32)
            .GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        return new DumpedKernel(dtype, outputs, input, unknown);
    }
}
