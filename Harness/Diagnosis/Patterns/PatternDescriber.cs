using Harness.Comparison;
using Harness.Model;

namespace Harness.Diagnosis.Patterns;

/// <summary>Turns bucket counts into findings that say more than a maximum: which rows, tiles, heads, columns, padding.</summary>
internal static class PatternDescriber
{
    public static IReadOnlyList<PatternFinding> Describe(TensorAxes axes, Counts counts, HostTensor actual, IReadOnlySet<int>? padding)
    {
        var n = counts.Total;
        if (n == 0)
        {
            return [new NoMismatchFinding()];
        }

        var findings = new List<PatternFinding>();
        if (counts.NonFinite > 0)
        {
            findings.Add(new NonFiniteFinding(counts.NonFinite, TensorIndex.Unflatten(counts.FirstNonFinite, actual.Shape), (double)counts.NonFinite / n));
        }

        var structural = new List<PatternFinding>();
        AddBatches(axes, counts, structural);
        AddParts(counts, structural);
        var headsFound = AddHeads(counts, structural);
        AddRows(axes, counts, structural);
        AddColumns(axes, counts, headsFound, structural);
        findings.AddRange(structural);

        if (padding is { Count: > 0 })
        {
            findings.Add(new PaddingFinding(axes.Layout == AxesLayout.Scores, counts.Padding, counts.Total, [.. padding.Order()], axes.Shape.Sequence));
        }

        if (structural.Count == 0)
        {
            findings.Add(UniformFinding(axes, counts));
        }

        return findings;
    }

    private static void AddBatches(TensorAxes axes, Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByBatch, counts.Total);
        if (axes.Shape.Batch > 1 && c.Concentrated)
        {
            findings.Add(new BatchFinding(c.OnlyConcentrated, c.Named, Coverage(c, counts.Total)));
        }
    }

    private static void AddParts(Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByPart, counts.Total);
        if (counts.ByPart.Length == 3 && c.Concentrated)
        {
            findings.Add(new PartFinding(c.OnlyConcentrated, [.. c.Named.Select(p => (QkvPart)p)], Coverage(c, counts.Total)));
        }
    }

    private static bool AddHeads(Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByHead, counts.Total);
        if (counts.ByHead.Length <= 1 || !c.Concentrated)
        {
            return false;
        }

        findings.Add(new HeadFinding(c.OnlyConcentrated, c.Named, Coverage(c, counts.Total)));
        return true;
    }

    private static void AddRows(TensorAxes axes, Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByToken, counts.Total);
        if (!c.Concentrated)
        {
            return;
        }

        if (c.OnlyConcentrated && Tiles(c.Support, axes.Shape.Sequence) is null && Tiles(c.Cover, axes.Shape.Sequence) is not null)
        {
            c = c.PreferringCover();
        }

        var rows = c.Named;
        var everyBatch = c.OnlyConcentrated && axes.Shape.Batch > 1 && SameRowsInEveryBatch(axes, counts, rows);
        findings.Add(new RowFinding(c.OnlyConcentrated, axes.RowAxis, rows, Tiles(rows, axes.Shape.Sequence), everyBatch, Coverage(c, counts.Total)));
    }

    private static void AddColumns(TensorAxes axes, Counts counts, bool headsFound, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByColumn, counts.Total);
        if (counts.ByColumn.Length <= 1 || !c.Concentrated)
        {
            return;
        }

        var columns = c.Named;
        var d = axes.Shape.HeadSize;

        // A column set made of whole heads is already said better by the heads finding.
        if (headsFound && axes.HeadColumns && columns.Count % d == 0 && columns.All(col => Enumerable.Range(col / d * d, d).All(columns.Contains)))
        {
            return;
        }

        var coverage = Coverage(c, counts.Total);
        if (IndexRuns.Of(columns).Count > 1 && Periodic.Find(columns, counts.ByColumn.Length) is { } period)
        {
            var withinHead = axes.HeadColumns && period.Period == d;
            findings.Add(new PeriodicColumnFinding(c.OnlyConcentrated, axes.ColumnAxis, period.Period, period.Residues, withinHead, coverage));
            return;
        }

        findings.Add(new ColumnFinding(c.OnlyConcentrated, axes.ColumnAxis, columns, coverage));
    }

    private static UniformFinding UniformFinding(TensorAxes axes, Counts counts) => new(
        Share(counts.ByRow),
        axes.ColumnAxis,
        counts.ByColumn.Length > 1 ? Share(counts.ByColumn) : null,
        counts.ByHead.Count(h => h > 0),
        counts.ByHead.Length);

    /// <summary>
    /// The largest tile size (128 down to 16 rows) whose whole tiles make up exactly <paramref name="rows"/>,
    /// or null when no tile size fits (or the rows are every tile).
    /// </summary>
    internal static RowTiles? Tiles(IReadOnlyList<int> rows, int sequence)
    {
        var set = rows.ToHashSet();
        foreach (var size in ErrorPatternAnalyzer.TileSizes.OrderDescending())
        {
            var tileCount = (sequence + size - 1) / size;
            if (tileCount < 2)
            {
                continue;
            }

            var whole = Enumerable.Range(0, tileCount)
                .Where(t => Enumerable.Range(t * size, Math.Min(size, sequence - t * size)).All(set.Contains))
                .ToArray();
            var wholeRows = whole.Sum(t => Math.Min(size, sequence - t * size));
            if (whole.Length == 0 || whole.Length == tileCount || wholeRows != set.Count)
            {
                continue;
            }

            return new RowTiles(size, whole, tileCount, sequence % size != 0 && whole[^1] == tileCount - 1);
        }

        return null;
    }

    private static bool SameRowsInEveryBatch(TensorAxes axes, Counts counts, IReadOnlyList<int> rows)
    {
        var s = axes.Shape.Sequence;
        for (var b = 0; b < axes.Shape.Batch; b++)
        {
            var inBatch = Enumerable.Range(0, s).Where(t => counts.ByRow[b * s + t] > 0);
            if (!inBatch.SequenceEqual(rows))
            {
                return false;
            }
        }

        return true;
    }

    private static double Coverage(Concentration c, long total) => c.OnlyConcentrated ? 1.0 : (double)c.CoverCount / total;

    private static double Share(IReadOnlyList<long> buckets) => buckets.Count == 0 ? 0 : (double)buckets.Count(v => v > 0) / buckets.Count;
}
