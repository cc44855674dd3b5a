using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>
/// A Hugging Face BERT checkpoint in safetensors form: a model.safetensors file, or a directory holding one (and maybe
/// vocab.txt). Parameter names are accepted with or without the "bert." prefix that BertFor* models add.
/// </summary>
public sealed partial class BertCheckpoint : IDisposable
{
    public const string WeightsFileName = "model.safetensors";
    public const string VocabularyFileName = "vocab.txt";

    private readonly SafetensorsFile file;

    private BertCheckpoint(SafetensorsFile file, string? vocabularyPath)
    {
        this.file = file;
        VocabularyPath = vocabularyPath;
        LayerCount = file.TensorNames
            .Select(n => LayerIndexPattern().Match(n))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0)
            .Max();
    }

    public string WeightsPath => file.Path;

    /// <summary>vocab.txt beside the weights, or null when the checkpoint has none.</summary>
    public string? VocabularyPath { get; }

    /// <summary>Number of encoder layers: one more than the highest encoder.layer.{i} index present.</summary>
    public int LayerCount { get; }

    public static BertCheckpoint Open(string pathToFileOrDirectory)
    {
        string weights;
        if (Directory.Exists(pathToFileOrDirectory))
        {
            weights = System.IO.Path.Combine(pathToFileOrDirectory, WeightsFileName);
            if (!File.Exists(weights))
            {
                var present = Directory.EnumerateFiles(pathToFileOrDirectory).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).Take(10);
                throw new CheckpointException(
                    $"checkpoint '{pathToFileOrDirectory}': directory has no {WeightsFileName} (it holds: {string.Join(", ", present)}); convert a PyTorch .bin checkpoint to safetensors first");
            }
        }
        else if (File.Exists(pathToFileOrDirectory))
        {
            weights = pathToFileOrDirectory;
        }
        else
        {
            throw new CheckpointException($"checkpoint '{pathToFileOrDirectory}': no such file or directory");
        }

        var vocabulary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(weights))!, VocabularyFileName);
        return new BertCheckpoint(SafetensorsFile.Open(weights), File.Exists(vocabulary) ? vocabulary : null);
    }

    /// <summary>The parameters of encoder layer <paramref name="layer"/>, checked against <paramref name="shape"/>.</summary>
    public LayerWeights ReadLayer(int layer, LayerShape shape)
    {
        shape.Validate();
        if (layer < 0 || layer >= LayerCount)
        {
            throw new CheckpointException($"checkpoint '{WeightsPath}': layer {layer} out of range: it has {LayerCount} layers (0..{LayerCount - 1})");
        }

        return LayerWeights.FromParameters(suffix => ReadNamed($"encoder.layer.{layer}.{suffix}", LayerWeights.ExpectedShape(suffix, shape), shape));
    }

    /// <summary>One layer parameter by its suffix (e.g. "attention.self.query.weight"), checked against <paramref name="shape"/>.</summary>
    public HostTensor ReadLayerParameter(int layer, string suffix, LayerShape shape)
    {
        if (layer < 0 || layer >= LayerCount)
        {
            throw new CheckpointException($"checkpoint '{WeightsPath}': layer {layer} out of range: it has {LayerCount} layers (0..{LayerCount - 1})");
        }

        return ReadNamed($"encoder.layer.{layer}.{suffix}", LayerWeights.ExpectedShape(suffix, shape), shape);
    }

    /// <summary>The embedding tables and the embeddings LayerNorm; their widths must agree.</summary>
    public EmbeddingWeights ReadEmbeddings()
    {
        var word = ReadNamed("embeddings.word_embeddings.weight", null, null);
        if (word.Shape.Length != 2)
        {
            throw new CheckpointException($"checkpoint '{WeightsPath}': tensor 'embeddings.word_embeddings.weight' has shape {word.ShapeText}, expected [vocabulary, model]");
        }

        var model = word.Shape[1];
        var position = ReadNamed("embeddings.position_embeddings.weight", null, null);
        var tokenType = ReadNamed("embeddings.token_type_embeddings.weight", null, null);
        foreach (var (name, t) in new[] { ("embeddings.position_embeddings.weight", position), ("embeddings.token_type_embeddings.weight", tokenType) })
        {
            if (t.Shape.Length != 2 || t.Shape[1] != model)
            {
                throw new CheckpointException($"checkpoint '{WeightsPath}': tensor '{name}' has shape {t.ShapeText}, expected [rows, {model}]");
            }
        }

        return new EmbeddingWeights(
            word,
            position,
            tokenType,
            ReadNamed("embeddings.LayerNorm.weight", [model], null),
            ReadNamed("embeddings.LayerNorm.bias", [model], null));
    }

    public void Dispose() => file.Dispose();

    /// <summary>Reads a tensor stored either as <paramref name="name"/> or as "bert." + <paramref name="name"/>.</summary>
    private HostTensor ReadNamed(string name, long[]? expected, LayerShape? shape)
    {
        var stored = file.Contains(name) ? name : file.Contains("bert." + name) ? "bert." + name : name;
        // Entry throws the "not found" error listing the closest names when neither spelling is present.
        var entry = file.Entry(stored);
        if (expected is not null && !entry.Shape.AsSpan().SequenceEqual(expected))
        {
            var forShape = shape is null ? string.Empty : $" for {shape}";
            throw new CheckpointException($"checkpoint '{WeightsPath}': tensor '{stored}' has shape {entry.ShapeText}, expected [{string.Join(", ", expected)}]{forShape}");
        }

        return file.Read(stored);
    }

    [GeneratedRegex(@"^(?:bert\.)?encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndexPattern();
}
