namespace Harness.Model;

/// <summary>Dimensions of one BERT layer invocation: B, S, H, D and F; M = H·D.</summary>
public sealed record LayerShape(int Batch, int Sequence, int Heads, int HeadSize, int Intermediate)
{
    /// <summary>bert-base at the Souffle kernels' only shape (B=1, S=384).</summary>
    public static LayerShape BertBase384 { get; } = new(1, 384, 12, 64, 3072);

    public int Model => Heads * HeadSize;

    /// <summary>Throws one clear error naming the first non-positive dimension.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("batch", Batch), ("sequence", Sequence), ("heads", Heads), ("headSize", HeadSize), ("intermediate", Intermediate) })
        {
            if (value <= 0)
            {
                throw new ArgumentException($"shape.{name} must be positive, got {value}");
            }
        }
    }

    public override string ToString() => $"B={Batch} S={Sequence} H={Heads} D={HeadSize} F={Intermediate}";
}
