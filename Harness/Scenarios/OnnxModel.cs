namespace Harness.Scenarios;

/// <summary>One ONNX node: its operator and the names of the values it reads and writes.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, OnnxTensor? ConstantValue);

/// <summary>
/// The parts of an ONNX model the harness reads, by field number of onnx.proto: ModelProto.graph (7); GraphProto.node
/// (1), initializer (5), output (12); NodeProto.input (1), output (2), op_type (4), attribute (5); AttributeProto.name
/// (1), t (5); TensorProto dims (1), data_type (2), float_data (4), int32_data (5), int64_data (7), name (8), raw_data (9).
/// Everything else is skipped. Tensor data stays in the file's bytes until asked for.
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel(byte[] bytes, IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxTensor> initializers, IReadOnlyList<string> outputs)
    {
        Bytes = bytes;
        Nodes = nodes;
        Initializers = initializers;
        Outputs = outputs;
    }

    /// <summary>The serialised model (ONNX Runtime and the graph-output writer take it as it is).</summary>
    public byte[] Bytes { get; }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    /// <summary>Names of the graph's outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Parses <paramref name="bytes"/>; a malformed or truncated model is an <see cref="InvalidDataException"/>.</summary>
    public static OnnxModel Parse(byte[] bytes)
    {
        var model = new ProtobufReader(bytes);
        ProtobufReader? graph = null;
        while (model.Next(out var field, out var wire))
        {
            if (field == 7 && wire == 2)
            {
                graph = model.ReadMessage();
            }
            else
            {
                model.Skip(wire);
            }
        }

        if (graph is null)
        {
            throw new InvalidDataException("no graph (ModelProto field 7): not an ONNX model");
        }

        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var outputs = new List<string>();
        while (graph.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    nodes.Add(ReadNode(graph.ReadMessage(), bytes));
                    break;
                case 5 when wire == 2:
                    var t = ReadTensor(graph.ReadMessage(), bytes);
                    initializers[t.Name] = t;
                    break;
                case 12 when wire == 2:
                    outputs.Add(ReadValueInfoName(graph.ReadMessage()));
                    break;
                default:
                    graph.Skip(wire);
                    break;
            }
        }

        return new OnnxModel(bytes, nodes, initializers, outputs);
    }

    /// <summary>The constant value of a name: an initializer or the output of a Constant node; null otherwise.</summary>
    public OnnxTensor? ConstantOf(string name) =>
        Initializers.TryGetValue(name, out var t) ? t : Nodes.FirstOrDefault(n => n.ConstantValue is not null && n.Outputs.Contains(name))?.ConstantValue;

    private static OnnxNode ReadNode(ProtobufReader r, byte[] bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = string.Empty;
        OnnxTensor? value = null;
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    inputs.Add(r.ReadString());
                    break;
                case 2 when wire == 2:
                    outputs.Add(r.ReadString());
                    break;
                case 4 when wire == 2:
                    op = r.ReadString();
                    break;
                case 5 when wire == 2:
                    value ??= ReadTensorAttribute(r.ReadMessage(), bytes);
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new OnnxNode(op, inputs, outputs, op == "Constant" ? value : null);
    }

    /// <summary>The tensor of an attribute named "value" (a Constant node's), else null.</summary>
    private static OnnxTensor? ReadTensorAttribute(ProtobufReader r, byte[] bytes)
    {
        string? name = null;
        OnnxTensor? tensor = null;
        while (r.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                name = r.ReadString();
            }
            else if (field == 5 && wire == 2)
            {
                tensor = ReadTensor(r.ReadMessage(), bytes);
            }
            else
            {
                r.Skip(wire);
            }
        }

        return name == "value" ? tensor : null;
    }

    private static string ReadValueInfoName(ProtobufReader r)
    {
        var name = string.Empty;
        while (r.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                name = r.ReadString();
            }
            else
            {
                r.Skip(wire);
            }
        }

        return name;
    }

    private static OnnxTensor ReadTensor(ProtobufReader r, byte[] bytes)
    {
        var dims = new List<long>();
        var dataType = 0;
        var name = string.Empty;
        (int Start, int End)? raw = null;
        var floats = new List<float>();
        var integers = new List<long>();
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    r.ReadIntegers(wire, dims);
                    break;
                case 2 when wire == 0:
                    dataType = (int)r.ReadVarint();
                    break;
                case 4:
                    r.ReadFloats(wire, floats);
                    break;
                case 5 or 7:
                    r.ReadIntegers(wire, integers);
                    break;
                case 8 when wire == 2:
                    name = r.ReadString();
                    break;
                case 9 when wire == 2:
                    raw = r.ReadRange();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new OnnxTensor(name, dims.ToArray(), dataType, bytes, raw, floats, integers);
    }
}
