namespace Harness.Diagnosis.Patterns;

/// <summary>
/// Whether the mismatches along one axis sit in fewer buckets than chance would put them.
/// Under a uniform spread, m mismatches over K buckets touch K·(1 − (1 − 1/K)^m) of them on average; a set of buckets
/// holding the mismatches is called concentrated when it is at most half that size (and not the whole axis). This keeps
/// a handful of scattered mismatches from being reported as "only rows 3, 9, 17": they are as spread as they can be.
/// Few mismatches can still be structured by contiguity: k random buckets out of K form about k·(K − k + 1)/K runs, so a
/// support of at least three buckets in at most a quarter of that many runs is concentrated too (8 of 40 rows, one run).
/// </summary>
internal sealed record Concentration(IReadOnlyList<int> Support, IReadOnlyList<int> Cover, long CoverCount, bool OnlyConcentrated, bool MostlyConcentrated)
{
    /// <summary>The share of mismatches a "mostly" finding must account for.</summary>
    public const double MostlyShare = 0.75;

    public static Concentration Measure(IReadOnlyList<long> counts, long total)
    {
        var support = Enumerable.Range(0, counts.Count).Where(i => counts[i] > 0).ToArray();

        // The cover is the buckets that stand out: at least a tenth of the busiest one. Stragglers (a stray NaN row next
        // to a broken tile) fall away, and a block of similar counts is never split.
        var busiest = support.Length == 0 ? 0 : support.Max(i => counts[i]);
        var cover = support.Where(i => counts[i] * 10 >= busiest).ToList();
        var covered = cover.Sum(i => counts[i]);
        cover.Sort();
        var k = counts.Count;
        var only = k > 1 && total > 0 && support.Length < k && (support.Length <= 0.5 * ExpectedTouched(k, total) || Contiguous(support, k));
        var mostly = k > 1 && total > 0 && cover.Count < support.Length && covered >= MostlyShare * total && cover.Count <= 0.5 * ExpectedTouched(k, covered);
        return new Concentration(support, cover, covered, only, mostly);
    }

    public bool Concentrated => OnlyConcentrated || MostlyConcentrated;

    /// <summary>The cover is the better statement when it is itself concentrated (e.g. whole tiles plus stragglers).</summary>
    public Concentration PreferringCover() => MostlyConcentrated ? this with { OnlyConcentrated = false } : this;

    /// <summary>The buckets a finding names: all of them for "only", the buckets that stand out for "mostly".</summary>
    public IReadOnlyList<int> Named => OnlyConcentrated ? Support : Cover;

    private static bool Contiguous(IReadOnlyList<int> support, int buckets)
    {
        var k = support.Count;
        var expectedRuns = (double)k * (buckets - k + 1) / buckets;
        return k >= 3 && IndexRuns.Of(support).Count <= 0.25 * expectedRuns;
    }

    private static double ExpectedTouched(int buckets, long mismatches) =>
        buckets * (1 - Math.Pow(1 - 1.0 / buckets, mismatches));
}
