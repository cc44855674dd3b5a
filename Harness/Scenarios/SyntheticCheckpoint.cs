using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Writes a synthetic BERT checkpoint (model.safetensors) so the checkpoint path can be exercised end to end without a download.</summary>
public static class SyntheticCheckpoint
{
    /// <summary>
    /// Writes <paramref name="layers"/> layers of <see cref="SyntheticWeights.Create"/> (layer i uses seed + i) and
    /// synthetic embeddings to <paramref name="path"/>; <paramref name="bertPrefix"/> names them "bert.…" as BertFor* models do.
    /// </summary>
    public static void Write(
        string path,
        LayerShape shape,
        int layers,
        int seed,
        int vocabulary = 32,
        int positions = 64,
        bool bertPrefix = false,
        ElementType dtype = ElementType.Float32)
    {
        var prefix = bertPrefix ? "bert." : string.Empty;
        var tensors = new List<SafetensorsTensor>();
        var embeddings = SyntheticWeights.CreateEmbeddings(vocabulary, positions, 2, shape.Model, seed);
        foreach (var (name, get) in EmbeddingWeights.Parameters)
        {
            tensors.Add(new SafetensorsTensor(prefix + name, get(embeddings), dtype));
        }

        for (var layer = 0; layer < layers; layer++)
        {
            var weights = SyntheticWeights.Create(shape, seed + layer);
            foreach (var (suffix, get) in LayerWeights.Parameters)
            {
                tensors.Add(new SafetensorsTensor($"{prefix}encoder.layer.{layer}.{suffix}", get(weights), dtype));
            }
        }

        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["generator"] = $"harness synthetic seed {seed}" });
    }
}
