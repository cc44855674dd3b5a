using Harness.Model;

namespace Harness.Scenarios;

/// <summary>The tensors of an ONNX BERT encoder under their Hugging Face names (see <see cref="OnnxBertGraph"/>).</summary>
public sealed class OnnxCheckpointTensors : ICheckpointTensors
{
    public OnnxCheckpointTensors(string path, OnnxBertGraph graph)
    {
        Path = path;
        Graph = graph;
    }

    public string Path { get; }

    public OnnxBertGraph Graph { get; }

    public IEnumerable<string> TensorNames => Graph.TensorNames;

    /// <summary>Reads and maps an ONNX file; anything that is not an ONNX BERT encoder is a <see cref="CheckpointException"/>.</summary>
    public static OnnxCheckpointTensors Open(string path, byte[] bytes)
    {
        try
        {
            return new OnnxCheckpointTensors(path, new OnnxBertGraph(OnnxModel.Parse(bytes)));
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"onnx '{path}': {e.Message}", e);
        }
    }

    public bool Contains(string name) => Graph.ShapeOf(name) is not null;

    public long[] ShapeOf(string name) => Graph.ShapeOf(name) ?? throw NotFound(name);

    public HostTensor Read(string name)
    {
        if (!Contains(name))
        {
            throw NotFound(name);
        }

        try
        {
            return Graph.Read(name);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"onnx '{Path}': {e.Message}", e);
        }
    }

    public void Dispose()
    {
        // The model's bytes are managed memory; nothing to release.
    }

    private CheckpointException NotFound(string name)
    {
        var close = NameSuggestions.Closest(name, TensorNames.ToList());
        return new CheckpointException($"onnx '{Path}': tensor '{name}' not found (closest present: {string.Join(", ", close)})");
    }
}
