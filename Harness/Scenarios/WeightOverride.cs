namespace Harness.Scenarios;

/// <summary>
/// One entry of a scenario's "weights" object: the key as written (e.g. "qkv.weight"), the LayerWeights parameter
/// suffixes it covers, and the values they get.
/// </summary>
public sealed record WeightOverride(string Key, IReadOnlyList<string> Suffixes, ValueSource Source)
{
    /// <summary>Short parameter-group names and the checkpoint prefixes (before ".weight"/".bias") they cover.</summary>
    public static IReadOnlyDictionary<string, string[]> Groups { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["query"] = ["attention.self.query"],
        ["key"] = ["attention.self.key"],
        ["value"] = ["attention.self.value"],
        ["qkv"] = ["attention.self.query", "attention.self.key", "attention.self.value"],
        ["attentionOutput"] = ["attention.output.dense"],
        ["attentionLayerNorm"] = ["attention.output.LayerNorm"],
        ["intermediate"] = ["intermediate.dense"],
        ["output"] = ["output.dense"],
        ["outputLayerNorm"] = ["output.LayerNorm"],
    };

    /// <summary>The parameter suffixes a key covers ("qkv" → six, "query.bias" → one); null for an unknown key.</summary>
    public static IReadOnlyList<string>? SuffixesOf(string key)
    {
        var dot = key.LastIndexOf('.');
        var (group, part) = dot < 0 ? (key, null) : (key[..dot], key[(dot + 1)..]);
        if (!Groups.TryGetValue(group, out var prefixes) || part is not (null or "weight" or "bias"))
        {
            return null;
        }

        var parts = part is null ? new[] { "weight", "bias" } : [part];
        return prefixes.SelectMany(p => parts.Select(x => $"{p}.{x}")).ToList();
    }

    /// <summary>
    /// Where keys overlap the narrower wins: "query.bias" (1 parameter) over "query" (2) over "qkv.bias" (3) over "qkv" (6).
    /// Invariant: two different keys that share a parameter never cover the same number of parameters.
    /// </summary>
    public int Specificity => -Suffixes.Count;
}
