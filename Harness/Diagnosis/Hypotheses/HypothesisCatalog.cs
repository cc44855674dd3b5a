namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// Every hypothesis the diagnosis tries, listed here by hand: the same registration style as the blind-spot rules
/// (<see cref="Scenarios.BlindSpotAnalyzer"/>), an explicit list a reader can see. A new hypothesis or family is
/// added to <see cref="Sources"/>; a test fails for one that is defined but not listed.
/// </summary>
public static class HypothesisCatalog
{
    /// <summary>
    /// In the order ties rank (each source's members in its own order). Invariant: the sources are in the ordinal
    /// order of their type names, the order the catalog has always had, so ties rank as they did.
    /// </summary>
    private static readonly IEnumerable<IHypothesis>[] Sources =
    [
        new AccumulationHypotheses().Members,
        new ActivationHypotheses().Members,
        new BiasMissingHypotheses().Members,
        [new HeadsMergedHypothesis()],
        new LayerNormAffineHypotheses().Members,
        new LayerNormHypotheses().Members,
        new PresetHypotheses().Members,
        [new ResidualMissingHypothesis()],
        new ScoreScaleHypotheses().Members,
        new SoftmaxHypotheses().Members,
        new WeightUntransposedHypotheses().Members,
    ];

    private static readonly Lazy<IReadOnlyList<IHypothesis>> Listed = new(List);

    public static IReadOnlyList<IHypothesis> All => Listed.Value;

    public static IHypothesis Find(string name) =>
        All.FirstOrDefault(h => h.Name == name)
        ?? throw new ArgumentException($"unknown hypothesis '{name}'; known: {string.Join(", ", All.Select(h => h.Name))}", nameof(name));

    private static IReadOnlyList<IHypothesis> List()
    {
        var all = Sources.SelectMany(s => s).ToList();

        // Invariant: names are unique, since reports and mutant expectations refer to hypotheses by name.
        var duplicate = all.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? all : throw new InvalidOperationException($"two hypotheses share the name '{duplicate.Key}'");
    }
}
