using System.Globalization;
using Harness.Diagnosis.Patterns;

namespace Harness.Reporting;

/// <summary>The words of an error pattern's findings: where the mismatches of one tensor sit, one line each.</summary>
public static class PatternText
{
    public static IReadOnlyList<string> Lines(IEnumerable<PatternFinding> findings) => findings.Select(Line).ToList();

    public static string Line(PatternFinding finding) => finding switch
    {
        NoMismatchFinding => "no mismatches",
        NonFiniteFinding f => $"{f.Count} non-finite values (NaN/Inf), first at [{string.Join(", ", f.FirstIndex)}]",
        BatchFinding f => $"{Lead(f)} {RangeText.Named("batch", "batches", f.Batches.ToArray())}",
        PartFinding f => $"{Lead(f)} the {string.Join(" and ", f.Parts)} part{(f.Parts.Count > 1 ? "s" : "")}",
        HeadFinding f => $"{(f.Only ? "all mismatches in" : LeadShare(f))} {RangeText.Named("head", "heads", f.Heads.ToArray())}",
        RowFinding f => Rows(f),
        ColumnFinding f => $"{Lead(f)} {Word(f.Axis)} {RangeText.Format(f.Columns)}",
        PeriodicColumnFinding f => Periodic(f),
        PaddingFinding f => Padding(f),
        UniformFinding f => Uniform(f),
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.GetType().Name, "a pattern finding without words"),
    };

    /// <summary>"the last 16-row tile", "tile 1, a 16-row tile", "16-row tiles 0–1 of 3, partial".</summary>
    public static string Tiles(RowTiles tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var partial = tiles.Partial ? ", partial" : string.Empty;
        if (tiles.Tiles.Count == 1)
        {
            var tile = tiles.Tiles[0];
            var which = tile == tiles.TileCount - 1 ? "the last" : tile == 0 ? "the first" : $"tile {tile}, a";
            return $"{which} {tiles.Size}-row tile{partial}";
        }

        return $"{tiles.Size}-row tiles {RangeText.Format(tiles.Tiles)} of {tiles.TileCount}{partial}";
    }

    /// <summary>A share of mismatches: floored to whole percent, with one decimal below 1% so a small share never reads 0%.</summary>
    public static string Percent(double fraction)
    {
        var p = 100 * fraction;
        return p is > 0 and < 1 ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : Math.Floor(p).ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    private static string Rows(RowFinding f)
    {
        var text = $"{Lead(f)} {(f.Axis == RowAxis.QueryRows ? "query rows" : "rows")} {RangeText.Format(f.Rows)}";
        if (f.Tiles is not null)
        {
            text += $" ({Tiles(f.Tiles)})";
        }

        return f.EveryBatch ? text + " of every batch" : text;
    }

    private static string Periodic(PeriodicColumnFinding f)
    {
        var residues = string.Join(", ", f.Residues);
        var text = $"{(f.Only ? "every mismatch in" : LeadShare(f))} {Word(f.Axis)} ≡ {residues} (mod {f.Period})";
        return f.WithinHead ? text + $": d = {residues} of every head" : text;
    }

    private static string Padding(PaddingFinding f)
    {
        var where = $"{(f.AtKeys ? "padding key positions" : "padding token rows")} ({f.Positions.Count} of {f.Sequence}: {RangeText.Format(f.Positions)})";
        return f.Mismatches == f.Total ? $"only {where}"
            : f.Mismatches == 0 ? $"none at {where}"
            : $"{Percent(f.Coverage)} of mismatches at {where}";
    }

    private static string Uniform(UniformFinding f)
    {
        var parts = new List<string> { $"{Percent(f.RowShare)} of rows" };
        if (f.ColumnShare is { } columns)
        {
            parts.Add($"{Percent(columns)} of {Word(f.Axis)}");
        }

        if (f.HeadCount > 1)
        {
            parts.Add($"{f.HeadsTouched} of {f.HeadCount} heads");
        }

        return $"uniform: {string.Join(", ", parts)}, no structure";
    }

    private static string Lead(ConcentratedFinding f) => f.Only ? "only" : LeadShare(f);

    private static string LeadShare(ConcentratedFinding f) => $"{Percent(f.Coverage)} of mismatches in";

    private static string Word(ColumnAxis axis) => axis switch
    {
        ColumnAxis.KeyPositions => "key positions",
        ColumnAxis.Channels => "channels",
        _ => "columns",
    };
}
