using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>
/// Reads a BERT encoder out of an ONNX graph exported from Hugging Face: the biases and LayerNorm parameters keep their
/// Hugging Face names, the weight matrices are anonymous initializers stored [in, out]. Each weight is named by
/// following the graph: it feeds a MatMul whose output feeds an Add with a named bias, and the weight takes the bias's
/// name with ".weight". The config (heads, head size, FFN width, eps, activation) is read from the graph, not assumed.
/// </summary>
public sealed partial class OnnxBertGraph
{
    private readonly OnnxModel model;
    private readonly Dictionary<string, OnnxNode> producers;
    private readonly ILookup<string, OnnxNode> consumers;

    public OnnxBertGraph(OnnxModel model)
    {
        this.model = model;
        producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in model.Nodes)
        {
            foreach (var output in node.Outputs)
            {
                producers[output] = node;
            }
        }

        consumers = model.Nodes.SelectMany(n => n.Inputs.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        Prefix = model.Initializers.Keys.Any(k => k.StartsWith("bert.encoder.layer.", StringComparison.Ordinal)) ? "bert." : string.Empty;
        var layers = model.Initializers.Keys
            .Select(n => LayerIndexPattern().Match(n))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0)
            .Max();
        if (layers == 0)
        {
            throw new InvalidDataException("no encoder layers (no initializer named encoder.layer.N.*): not a BERT encoder");
        }

        TransposedWeights = MapWeights();
        Config = ReadConfig(layers);
    }

    /// <summary>The model the graph was read from.</summary>
    public OnnxModel Model => model;

    /// <summary>"bert." when the export kept BertModel's prefix, else empty.</summary>
    public string Prefix { get; }

    public BertConfig Config { get; }

    /// <summary>Hugging Face weight name → the anonymous [in, out] initializer that holds its transpose.</summary>
    public IReadOnlyDictionary<string, string> TransposedWeights { get; }

    /// <summary>Hugging Face names of every tensor this graph can give (named initializers and mapped weights).</summary>
    public IEnumerable<string> TensorNames => model.Initializers.Keys.Where(n => !n.Contains("::", StringComparison.Ordinal) && !char.IsDigit(n[0])).Concat(TransposedWeights.Keys);

    /// <summary>The graph value entering encoder layer 0 (the embeddings LayerNorm's output).</summary>
    public string EmbeddingOutput => AddWith($"{Prefix}embeddings.LayerNorm.bias");

    /// <summary>The graph value leaving encoder layer <paramref name="layer"/> (its output LayerNorm's output).</summary>
    public string LayerOutput(int layer) => AddWith($"{Prefix}encoder.layer.{layer}.output.LayerNorm.bias");

    /// <summary>Shape of a Hugging Face-named tensor ([out, in] for weights); null when the graph has no such tensor.</summary>
    public long[]? ShapeOf(string name) =>
        TransposedWeights.TryGetValue(name, out var stored) ? [.. model.Initializers[stored].Dims.Reverse()]
        : model.Initializers.TryGetValue(name, out var t) ? t.Dims : null;

    /// <summary>A Hugging Face-named tensor, weights transposed to nn.Linear's [out, in].</summary>
    public HostTensor Read(string name)
    {
        if (TransposedWeights.TryGetValue(name, out var stored))
        {
            var t = model.Initializers[stored];
            var (rows, columns) = (t.Dims[0], t.Dims[1]);
            var values = t.ToDoubles();
            var transposed = new double[values.Length];
            for (long i = 0; i < rows; i++)
            {
                for (long j = 0; j < columns; j++)
                {
                    transposed[(j * rows) + i] = values[(i * columns) + j];
                }
            }

            return new HostTensor([columns, rows], transposed, ElementTypeOf(t));
        }

        var named = model.Initializers[name];
        return new HostTensor((long[])named.Dims.Clone(), named.ToDoubles(), ElementTypeOf(named));
    }

    private static ElementType ElementTypeOf(OnnxTensor t) => t.DataType switch
    {
        1 => ElementType.Float32,
        10 => ElementType.Float16,
        _ => ElementType.Float64,
    };

    private Dictionary<string, string> MapWeights()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var matMul in model.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2 && model.Initializers.ContainsKey(n.Inputs[1])))
        {
            var weight = model.Initializers[matMul.Inputs[1]];
            var bias = consumers[matMul.Outputs[0]]
                .Where(n => n.OpType == "Add")
                .SelectMany(n => n.Inputs)
                .FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && model.Initializers.ContainsKey(i));
            if (bias is null || weight.Dims.Length != 2)
            {
                continue;
            }

            var name = bias[..^".bias".Length] + ".weight";
            if (!map.TryAdd(name, weight.Name))
            {
                throw new InvalidDataException($"two weight matrices ('{map[name]}' and '{weight.Name}') feed the bias '{bias}'");
            }
        }

        return map;
    }

    private BertConfig ReadConfig(int layers)
    {
        var layer0 = $"{Prefix}encoder.layer.0.";
        var model = Width(layer0 + "attention.self.query.bias");
        var intermediate = Width(layer0 + "intermediate.dense.bias");
        var (heads, headSize) = HeadSplit(AddWith(layer0 + "attention.self.query.bias"), model);
        CheckScoreScale(headSize);
        return new BertConfig(layers, model, heads, headSize, intermediate, LayerNormEps(layer0 + "attention.output.LayerNorm.weight"), FfnActivation(AddWith(layer0 + "intermediate.dense.bias")));
    }

    private int Width(string bias) => model.Initializers.TryGetValue(bias, out var t) && t.Dims.Length == 1
        ? (int)t.Dims[0]
        : throw new InvalidDataException($"no one-dimensional initializer '{bias}'");

    /// <summary>The output of the Add node that reads <paramref name="initializer"/>.</summary>
    private string AddWith(string initializer) =>
        consumers[initializer].FirstOrDefault(n => n.OpType == "Add")?.Outputs[0]
        ?? throw new InvalidDataException($"no Add node reads '{initializer}'");

    /// <summary>Heads and head size from the Reshape that splits the query projection into [B, S, H, D].</summary>
    private (int Heads, int HeadSize) HeadSplit(string query, int model)
    {
        var reshape = consumers[query].FirstOrDefault(n => n.OpType == "Reshape")
            ?? throw new InvalidDataException("the query projection is not reshaped into heads: cannot tell the head count");
        var target = ConstantValues(reshape.Inputs[1]);
        if (target is null || target.Length != 4 || target[2] <= 0 || target[3] <= 0 || target[2] * target[3] != model)
        {
            throw new InvalidDataException($"the query reshape's target [{string.Join(", ", target ?? [])}] does not split M={model} into [B, S, H, D]");
        }

        return ((int)target[2], (int)target[3]);
    }

    /// <summary>The value of a constant, or of a Concat of constants (dynamic entries, such as B and S, read as -1).</summary>
    private double[]? ConstantValues(string name)
    {
        if (model.ConstantOf(name) is { } constant)
        {
            return constant.ToDoubles();
        }

        if (producers.TryGetValue(name, out var node) && node.OpType == "Concat")
        {
            return node.Inputs.SelectMany(i => model.ConstantOf(i)?.ToDoubles() ?? [-1]).ToArray();
        }

        return null;
    }

    /// <summary>The Hugging Face semantics scale scores by 1/sqrt(D); a graph that divides by anything else is not that layer.</summary>
    private void CheckScoreScale(int headSize)
    {
        var softmax = model.Nodes.FirstOrDefault(n => n.OpType == "Softmax")
            ?? throw new InvalidDataException("no Softmax node: not a BERT attention");
        var add = producers.GetValueOrDefault(softmax.Inputs[0]);
        var div = add?.Inputs.Select(i => producers.GetValueOrDefault(i)).FirstOrDefault(n => n?.OpType == "Div");
        var divisor = div is null ? null : model.ConstantOf(div.Inputs[1])?.ToDoubles();
        if (divisor is not { Length: 1 } || Math.Abs(divisor[0] - Math.Sqrt(headSize)) > 1e-5 * Math.Sqrt(headSize))
        {
            throw new InvalidDataException($"the attention scores are not divided by sqrt({headSize}) before the softmax (found {(divisor is null ? "no constant divisor" : string.Join(", ", divisor))})");
        }
    }

    /// <summary>eps of a LayerNorm spelled out as Mul(Div(x − mean, Sqrt(Add(var, eps))), gamma).</summary>
    private double LayerNormEps(string gamma)
    {
        var mul = consumers[gamma].FirstOrDefault(n => n.OpType == "Mul");
        var div = mul?.Inputs.Select(i => producers.GetValueOrDefault(i)).FirstOrDefault(n => n?.OpType == "Div");
        var sqrt = div is null ? null : producers.GetValueOrDefault(div.Inputs[1]);
        var add = sqrt?.OpType == "Sqrt" ? producers.GetValueOrDefault(sqrt.Inputs[0]) : null;
        var eps = add?.OpType == "Add" ? add.Inputs.Select(model.ConstantOf).FirstOrDefault(c => c is not null)?.ToDoubles() : null;
        return eps is { Length: 1 } ? eps[0] : throw new InvalidDataException($"cannot read the LayerNorm eps around '{gamma}' (expected Mul(Div(x − mean, Sqrt(var + eps)), gamma))");
    }

    /// <summary>The activation between the FC1 bias add and the FC2 MatMul, by the operators on the way.</summary>
    private Activation FfnActivation(string fc1)
    {
        var ops = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new Queue<string>([fc1]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (frontier.TryDequeue(out var value) && seen.Count < 64)
        {
            foreach (var node in consumers[value].Where(n => n.OpType != "MatMul" && seen.Add(n.Outputs[0])))
            {
                ops.Add(node.OpType);
                frontier.Enqueue(node.Outputs[0]);
            }
        }

        return ops.Contains("Erf") ? Activation.GeluErf
            : ops.Contains("Tanh") ? Activation.GeluTanh
            : ops.Contains("Relu") ? Activation.Relu
            : throw new InvalidDataException($"cannot tell the FFN activation from the operators {string.Join(", ", ops.Order(StringComparer.Ordinal))}");
    }

    [GeneratedRegex(@"^(?:bert\.)?encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndexPattern();
}
