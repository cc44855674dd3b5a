using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Which canonical tensors each one is computed from, so a blind spot can name everything downstream of it.</summary>
internal static class LayerDataflow
{
    /// <summary>Direct data inputs of each produced tensor (weights aside).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Inputs = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AttnQ] = [Input],
        [AttnK] = [Input],
        [AttnV] = [Input],
        [AttnQkv] = [AttnQ, AttnK, AttnV],
        [AttnScoresRaw] = [AttnQ, AttnK],
        [AttnScores] = [AttnScoresRaw],
        [AttnSoftmaxRowSum] = [AttnScores],
        [AttnProbs] = [AttnScores],
        [AttnContext] = [AttnProbs, AttnV],
        [AttnDense] = [AttnContext],
        [AttnLnSum] = [AttnDense, Input],
        [AttnLnSumSq] = [AttnDense, Input],
        [AttnOutput] = [AttnDense, Input],
        [FfnFc1Linear] = [AttnOutput],
        [FfnFc1] = [FfnFc1Linear],
        [FfnFc2Linear] = [FfnFc1],
        [FfnLnSum] = [FfnFc2Linear, AttnOutput],
        [FfnLnSumSq] = [FfnFc2Linear, AttnOutput],
        [Output] = [FfnFc2Linear, AttnOutput],
    };

    /// <summary><paramref name="tensors"/> and every tensor computed from any of them, in dataflow order.</summary>
    public static IReadOnlyList<string> Downstream(params string[] tensors)
    {
        var reached = new HashSet<string>(tensors, StringComparer.Ordinal);
        foreach (var t in DataflowOrder)
        {
            if (Inputs.TryGetValue(t, out var from) && from.Any(reached.Contains))
            {
                reached.Add(t);
            }
        }

        return DataflowOrder.Where(reached.Contains).ToList();
    }

    /// <summary>
    /// Whether <paramref name="tensor"/> can still influence the layer output when <paramref name="replaced"/> are
    /// substituted after being computed: some path to the output avoids every replaced tensor.
    /// </summary>
    public static bool ReachesOutput(string tensor, IReadOnlySet<string> replaced)
    {
        if (replaced.Contains(tensor))
        {
            return false;
        }

        var reached = new HashSet<string>(StringComparer.Ordinal) { tensor };
        foreach (var t in DataflowOrder)
        {
            if (!replaced.Contains(t) && Inputs.TryGetValue(t, out var from) && from.Any(reached.Contains))
            {
                reached.Add(t);
            }
        }

        return reached.Contains(Output);
    }
}
