namespace Harness.Scenarios;

/// <summary>A safetensors file or BERT checkpoint is missing, malformed, or lacks what was asked of it. The message names the file and, where one is involved, the tensor.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
