using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Dumps;

/// <summary>What one name in a dump or log stands for: a canonical tensor, or a layer parameter (its Hugging Face suffix).</summary>
public sealed record MappedName(string Raw, string Target, bool IsParameter);

/// <summary>
/// Maps the names a dump or log uses to canonical names (docs/SEMANTICS.md). Canonical names map to themselves; then
/// a user map (--names map.json: {"their name": "canonical name or parameter"}), then the built-in maps: Hugging Face
/// module names (forward-hook outputs, any "….layer.N." prefix dropped) and Souffle's buffer names and printed
/// labels. Layer parameters are known by their Hugging Face suffix ("attention.output.dense.weight"), so a log's weight
/// statistics can be checked against the scenario's.
/// </summary>
public sealed partial class NameMap
{
    /// <summary>Hugging Face BertLayer module names whose forward output is a canonical tensor.</summary>
    public static IReadOnlyDictionary<string, string> HuggingFace { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hidden_states"] = Input,
        ["attention.self.query"] = AttnQ,
        ["attention.self.key"] = AttnK,
        ["attention.self.value"] = AttnV,
        ["attention_scores"] = AttnScores,
        ["attention_probs"] = AttnProbs,
        ["attention.self"] = AttnContext,
        ["attention.output.dense"] = AttnDense,
        ["attention.output.LayerNorm"] = AttnOutput,
        ["attention.output"] = AttnOutput,
        ["attention"] = AttnOutput,
        ["intermediate.dense"] = FfnFc1Linear,
        ["intermediate.intermediate_act_fn"] = FfnFc1,
        ["intermediate"] = FfnFc1,
        ["output.dense"] = FfnFc2Linear,
        ["output.LayerNorm"] = Output,
        ["output"] = Output,
    };

    /// <summary>
    /// Souffle's buffer names and the labels its test script prints. query_key_output holds the probabilities (the
    /// kernel normalises in place); attn_fc_output and feed_forward_fc2_output are normalised in place, so they hold
    /// the LayerNorm outputs; the LayerNorm "variance" buffers hold Σx².
    /// </summary>
    public static IReadOnlyDictionary<string, string> Souffle { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["input_tensor"] = Input,
        ["Input"] = Input,
        ["qkv_output"] = AttnQkv,
        ["Raw QKV Output"] = AttnQkv,
        ["query"] = AttnQ,
        ["Query Output"] = AttnQ,
        ["key"] = AttnK,
        ["Key Output"] = AttnK,
        ["value"] = AttnV,
        ["Value Output"] = AttnV,
        ["query_key_output"] = AttnProbs,
        ["Attention Scores (Q*K^T)"] = AttnProbs,
        ["softmax_sum"] = AttnSoftmaxRowSum,
        ["Softmax Sum"] = AttnSoftmaxRowSum,
        ["attn_value_output"] = AttnContext,
        ["Attention Weighted Values"] = AttnContext,
        ["attn_fc_output"] = AttnOutput,
        ["Attention Output"] = AttnOutput,
        ["attn_layer_norm_sum"] = AttnLnSum,
        ["Attention LayerNorm Sum"] = AttnLnSum,
        ["attn_layer_norm_variance"] = AttnLnSumSq,
        ["Attention LayerNorm Variance"] = AttnLnSumSq,
        ["feed_forward_fc1_output"] = FfnFc1,
        ["Feed Forward FC1 Output"] = FfnFc1,
        ["feed_forward_fc2_output"] = Output,
        ["Feed Forward FC2 Output"] = Output,
        ["feed_forward_layernorm_sum"] = FfnLnSum,
        ["Feed Forward LayerNorm Sum"] = FfnLnSum,
        ["feed_forward_layernorm_variance"] = FfnLnSumSq,
        ["Feed Forward LayerNorm Variance"] = FfnLnSumSq,
    };

    private readonly IReadOnlyDictionary<string, string> user;

    private NameMap(IReadOnlyDictionary<string, string> user) => this.user = user;

    public static NameMap BuiltIn { get; } = new(new Dictionary<string, string>());

    /// <summary>A user map from a JSON object file; every target must be a canonical tensor or a layer parameter suffix.</summary>
    public static NameMap Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"name map '{path}': file not found");
        }

        Dictionary<string, string>? map;
        try
        {
            map = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DumpFormatException($"name map '{path}': must be a JSON object of strings {{\"their name\": \"canonical name\"}}: {e.Message}");
        }

        foreach (var (from, to) in map ?? [])
        {
            if (!DataflowOrder.Contains(to) && !IsParameter(to))
            {
                throw new DumpFormatException(
                    $"name map '{path}': '{from}' maps to '{to}', which is not a canonical tensor name ({string.Join(", ", DataflowOrder)}) nor a layer parameter (e.g. attention.output.dense.weight)");
            }
        }

        return new NameMap(map ?? []);
    }

    /// <summary>What <paramref name="raw"/> stands for; null when no map knows it.</summary>
    public MappedName? Resolve(string raw)
    {
        if (DataflowOrder.Contains(raw))
        {
            return new MappedName(raw, raw, false);
        }

        if (user.TryGetValue(raw, out var mapped))
        {
            return new MappedName(raw, mapped, IsParameter(mapped));
        }

        var local = LayerPrefix().Replace(raw, string.Empty);
        if (IsParameter(local))
        {
            return new MappedName(raw, local, true);
        }

        return HuggingFace.TryGetValue(local, out var hf) ? new MappedName(raw, hf, false)
            : Souffle.TryGetValue(raw.Trim(), out var souffle) ? new MappedName(raw, souffle, false)
            : null;
    }

    /// <summary>
    /// Resolves every name of a dump or log; two names standing for the same tensor are an error naming both (with
    /// <paramref name="where"/> saying where each came from). Names no map knows are returned apart, never dropped silently.
    /// </summary>
    public (IReadOnlyList<MappedName> Known, IReadOnlyList<string> Unknown) ResolveAll(IReadOnlyList<string> raws, string source, Func<int, string>? where = null)
    {
        var known = new List<MappedName>();
        var unknown = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < raws.Count; i++)
        {
            var mapped = Resolve(raws[i]);
            if (mapped is null)
            {
                unknown.Add(raws[i]);
                continue;
            }

            if (seen.TryGetValue(mapped.Target, out var first))
            {
                var at = where is null ? string.Empty : $" ({where(first)} and {where(i)})";
                throw new DumpFormatException($"{source}: '{raws[first]}' and '{raws[i]}' both name {mapped.Target}{at}; keep one");
            }

            seen[mapped.Target] = i;
            known.Add(mapped);
        }

        return (known, unknown);
    }

    public static bool IsParameter(string name) => LayerWeights.Parameters.Any(p => p.Suffix == name);

    // "bert.encoder.layer.5." and the like: a dump of a whole model names a layer's modules under its path.
    [GeneratedRegex(@"^.*?\blayer\.\d+\.")]
    private static partial Regex LayerPrefix();
}
