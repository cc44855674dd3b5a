using System.Globalization;
using Harness.Comparison;
using Harness.Model;

namespace Harness.Diagnosis.Patterns;

/// <summary>Turns bucket counts into findings that say more than a maximum: which rows, tiles, heads, columns, padding.</summary>
internal static class PatternDescriber
{
    private static readonly string[] PartNames = ["Q", "K", "V"];

    public static IReadOnlyList<PatternFinding> Describe(TensorAxes axes, Counts counts, HostTensor actual, IReadOnlySet<int>? padding)
    {
        var n = counts.Total;
        if (n == 0)
        {
            return [new PatternFinding(PatternKind.NoMismatch, "no mismatches", 0)];
        }

        var findings = new List<PatternFinding>();
        if (counts.NonFinite > 0)
        {
            findings.Add(new PatternFinding(
                PatternKind.NonFinite,
                $"{counts.NonFinite} non-finite values (NaN/Inf), first at {TensorIndex.Text(counts.FirstNonFinite, actual.Shape)}",
                (double)counts.NonFinite / n));
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
            findings.Add(PaddingFinding(axes, counts, padding));
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
            findings.Add(new PatternFinding(PatternKind.Batches, $"{Lead(c, counts.Total)} {RangeText.Named("batch", "batches", c.Named.ToArray())}", Coverage(c, counts.Total)));
        }
    }

    private static void AddParts(Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByPart, counts.Total);
        if (counts.ByPart.Length == 3 && c.Concentrated)
        {
            var names = string.Join(" and ", c.Named.Select(p => PartNames[p]));
            findings.Add(new PatternFinding(PatternKind.Parts, $"{Lead(c, counts.Total)} the {names} part{(c.Named.Count > 1 ? "s" : "")}", Coverage(c, counts.Total)));
        }
    }

    private static bool AddHeads(Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByHead, counts.Total);
        if (counts.ByHead.Length <= 1 || !c.Concentrated)
        {
            return false;
        }

        var lead = c.OnlyConcentrated ? "all mismatches in" : $"{Percent(Coverage(c, counts.Total))} of mismatches in";
        findings.Add(new PatternFinding(PatternKind.Heads, $"{lead} {RangeText.Named("head", "heads", c.Named.ToArray())}", Coverage(c, counts.Total)));
        return true;
    }

    private static void AddRows(TensorAxes axes, Counts counts, List<PatternFinding> findings)
    {
        var c = Concentration.Measure(counts.ByToken, counts.Total);
        if (!c.Concentrated)
        {
            return;
        }

        if (c.OnlyConcentrated && TileText(c.Support, axes.Shape.Sequence) is null && TileText(c.Cover, axes.Shape.Sequence) is not null)
        {
            c = c.PreferringCover();
        }

        var rows = c.Named;
        var tile = TileText(rows, axes.Shape.Sequence);
        var text = $"{Lead(c, counts.Total)} {axes.RowWord} {RangeText.Format(rows)}";
        if (tile is not null)
        {
            text += $" ({tile})";
        }

        if (c.OnlyConcentrated && axes.Shape.Batch > 1 && SameRowsInEveryBatch(axes, counts, rows))
        {
            text += " of every batch";
        }

        findings.Add(new PatternFinding(tile is null ? PatternKind.Rows : PatternKind.Tiles, text, Coverage(c, counts.Total)));
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

        var lead = Lead(c, counts.Total);
        var coverage = Coverage(c, counts.Total);
        if (RangeText.Runs(columns).Count > 1 && Periodic.Find(columns, counts.ByColumn.Length) is { } period)
        {
            var residues = string.Join(", ", period.Residues);
            var text = $"{(c.OnlyConcentrated ? "every mismatch in" : lead)} {axes.ColumnWord} ≡ {residues} (mod {period.Period})";
            if (axes.HeadColumns && period.Period == d)
            {
                text += $": d = {residues} of every head";
            }

            findings.Add(new PatternFinding(PatternKind.PeriodicColumns, text, coverage));
            return;
        }

        findings.Add(new PatternFinding(PatternKind.Columns, $"{lead} {axes.ColumnWord} {RangeText.Format(columns)}", coverage));
    }

    private static PatternFinding PaddingFinding(TensorAxes axes, Counts counts, IReadOnlySet<int> padding)
    {
        var share = (double)counts.Padding / counts.Total;
        var where = $"{axes.PaddingWord} ({padding.Count} of {axes.Shape.Sequence}: {RangeText.Format(padding)})";
        var text = counts.Padding == counts.Total ? $"only {where}"
            : counts.Padding == 0 ? $"none at {where}"
            : $"{Percent(share)} of mismatches at {where}";
        return new PatternFinding(PatternKind.Padding, text, share);
    }

    private static PatternFinding UniformFinding(TensorAxes axes, Counts counts)
    {
        var parts = new List<string> { $"{Percent(Share(counts.ByRow))} of rows" };
        if (counts.ByColumn.Length > 1)
        {
            parts.Add($"{Percent(Share(counts.ByColumn))} of {axes.ColumnWord}");
        }

        if (counts.ByHead.Length > 1)
        {
            parts.Add($"{counts.ByHead.Count(h => h > 0)} of {counts.ByHead.Length} heads");
        }

        return new PatternFinding(PatternKind.Uniform, $"uniform: {string.Join(", ", parts)}, no structure", 1.0);
    }

    /// <summary>
    /// Names the largest tile size (128 down to 16 rows) whose whole tiles make up exactly <paramref name="rows"/>,
    /// or null when no tile size fits (or the rows are every tile).
    /// </summary>
    internal static string? TileText(IReadOnlyList<int> rows, int sequence)
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

            var partial = sequence % size != 0 && whole[^1] == tileCount - 1 ? ", partial" : string.Empty;
            if (whole.Length == 1)
            {
                var which = whole[0] == tileCount - 1 ? "the last" : whole[0] == 0 ? "the first" : $"tile {whole[0]}, a";
                return $"{which} {size}-row tile{partial}";
            }

            return $"{size}-row tiles {RangeText.Format(whole)} of {tileCount}{partial}";
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

    private static string Lead(Concentration c, long total) =>
        c.OnlyConcentrated ? "only" : $"{Percent(Coverage(c, total))} of mismatches in";

    private static double Coverage(Concentration c, long total) => c.OnlyConcentrated ? 1.0 : (double)c.CoverCount / total;

    private static double Share(IReadOnlyList<long> buckets) => buckets.Count == 0 ? 0 : (double)buckets.Count(v => v > 0) / buckets.Count;

    internal static string Percent(double fraction)
    {
        var p = 100 * fraction;
        return p is > 0 and < 1 ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : Math.Floor(p).ToString("0", CultureInfo.InvariantCulture) + "%";
    }
}
