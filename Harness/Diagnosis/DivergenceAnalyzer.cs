using Harness.Comparison;

namespace Harness.Diagnosis;

/// <summary>
/// First divergence: walks the verdicts in dataflow order; the first failing tensor is the origin, and every failing
/// tensor after it is inherited unless stage isolation shows it adds error of its own.
/// </summary>
public static class DivergenceAnalyzer
{
    /// <returns>(tensor, kind) for every judged tensor, in dataflow order.</returns>
    public static IReadOnlyList<(string Tensor, DivergenceKind Kind)> Analyze(LayerComparison comparison, IReadOnlyList<StageIsolationResult> isolation)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(isolation);
        var introduces = isolation.SelectMany(s => s.Tensors).Where(t => t.IntroducesError).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var result = new List<(string, DivergenceKind)>();
        var originSeen = false;
        foreach (var verdict in comparison.Verdicts)
        {
            DivergenceKind kind;
            if (verdict.Passed)
            {
                kind = DivergenceKind.Passed;
            }
            else if (!originSeen)
            {
                kind = DivergenceKind.Origin;
                originSeen = true;
            }
            else
            {
                kind = introduces.Contains(verdict.Name) ? DivergenceKind.IntroducesOwnError : DivergenceKind.Inherited;
            }

            result.Add((verdict.Name, kind));
        }

        return result;
    }
}
