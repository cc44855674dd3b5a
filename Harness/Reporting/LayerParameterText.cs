using Harness.Diagnosis.Scenarios;

namespace Harness.Reporting;

/// <summary>The words for layer parameters in a sentence.</summary>
public static class LayerParameterText
{
    /// <summary>"query weights", "attention LayerNorm gamma".</summary>
    public static string Words(LayerParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return $"{Noun(parameter)} {Part(parameter.Part)}";
    }

    /// <summary>"query", "attention dense", "FC1", "output LayerNorm": what a parameter group is called.</summary>
    public static string Noun(LayerParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Group switch
        {
            "attentionOutput" => "attention dense",
            "attentionLayerNorm" => "attention LayerNorm",
            "intermediate" => "FC1",
            "output" => "FC2",
            "outputLayerNorm" => "output LayerNorm",
            var g => g,
        };
    }

    public static string Part(ParameterPart part) => part switch
    {
        ParameterPart.Weights => "weights",
        ParameterPart.Biases => "biases",
        ParameterPart.Gamma => "gamma",
        _ => "beta",
    };

    /// <summary>
    /// Joins parameter names for a sentence, merging a full query/key/value set into one phrase:
    /// [query weights, key weights, value weights, FC1 biases] → "query/key/value weights and FC1 biases".
    /// </summary>
    public static string Join(IReadOnlyCollection<LayerParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == LayerParameter.All.Count)
        {
            return "every weight, bias and LayerNorm parameter";
        }

        var phrases = new List<string>();
        var merged = new HashSet<LayerParameter>();
        foreach (var p in parameters)
        {
            if (merged.Contains(p))
            {
                continue;
            }

            var triple = parameters.Where(q => q.Part == p.Part && q.Group is "query" or "key" or "value").ToList();
            if (p.Group is "query" or "key" or "value" && triple.Count == 3)
            {
                phrases.Add($"query/key/value {Part(p.Part)}");
                merged.UnionWith(triple);
            }
            else
            {
                phrases.Add(Words(p));
            }
        }

        return phrases.Count == 1 ? phrases[0] : $"{string.Join(", ", phrases.Take(phrases.Count - 1))} and {phrases[^1]}";
    }
}
