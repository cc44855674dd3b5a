using Harness.Model;

namespace Harness.Diagnosis.Patterns;

/// <summary>Finds where the mismatches of one canonical tensor sit (rows, columns, heads, tiles, batches, padding) and why that matters.</summary>
public static class ErrorPatternAnalyzer
{
    /// <summary>Row tile sizes the fused kernels block by; a mismatch set made of whole tiles points at one thread block.</summary>
    public static IReadOnlyList<int> TileSizes { get; } = [16, 32, 64, 128];

    /// <summary>The heatmap is max-pooled down to at most this many rows and columns.</summary>
    public const int MaxHeatmapCells = 256;

    /// <summary>
    /// Buckets the mismatches of <paramref name="actual"/> against <paramref name="expected"/>. An element is a mismatch when
    /// <paramref name="isMismatch"/>(actual, expected) says so, and always when either value is NaN or ±Inf.
    /// <paramref name="paddingKeyPositions"/> are masked key positions s (the same in every batch).
    /// </summary>
    public static ErrorPattern Analyze(
        string tensorName,
        LayerShape shape,
        HostTensor actual,
        HostTensor expected,
        Func<double, double, bool> isMismatch,
        IReadOnlySet<int>? paddingKeyPositions = null)
    {
        ArgumentNullException.ThrowIfNull(isMismatch);
        var axes = Validate(tensorName, shape, actual, expected, paddingKeyPositions);
        var counts = new Counts(axes, paddingKeyPositions is not null);
        var pool = new HeatmapPool(axes);

        for (long i = 0; i < actual.Count; i++)
        {
            var a = actual.Data[i];
            var e = expected.Data[i];
            var finite = double.IsFinite(a) && double.IsFinite(e);
            var c = axes.Locate(i);
            pool.Add(c, finite ? Math.Abs(a - e) : double.NaN);

            // Invariant: NaN and ±Inf never pass, whatever the predicate says about them.
            if (finite && !isMismatch(a, e))
            {
                continue;
            }

            counts.Add(c, !finite, paddingKeyPositions is not null && axes.AtPadding(c, paddingKeyPositions), i);
        }

        var findings = PatternDescriber.Describe(axes, counts, actual, paddingKeyPositions);
        return new ErrorPattern
        {
            TensorName = tensorName,
            ElementCount = actual.Count,
            MismatchCount = counts.Total,
            NonFiniteCount = counts.NonFinite,
            ByRow = counts.ByRow,
            ByToken = counts.ByToken,
            ByColumn = counts.ByColumn,
            ByHead = counts.ByHead,
            ByBatch = counts.ByBatch,
            ByPart = counts.ByPart,
            ByTile = TileSizes.ToDictionary(t => t, t => (IReadOnlyList<long>)TileCounts(counts.ByToken, t)),
            PaddingMismatchCount = paddingKeyPositions is null ? null : counts.Padding,
            Findings = findings,
            Heatmap = pool.ToHeatmap(),
        };
    }

    /// <summary>Mismatches per tile of <paramref name="tile"/> token rows; the last tile may be partial.</summary>
    internal static long[] TileCounts(IReadOnlyList<long> byToken, int tile)
    {
        var tiles = new long[(byToken.Count + tile - 1) / tile];
        for (var s = 0; s < byToken.Count; s++)
        {
            tiles[s / tile] += byToken[s];
        }

        return tiles;
    }

    private static TensorAxes Validate(string tensorName, LayerShape shape, HostTensor actual, HostTensor expected, IReadOnlySet<int>? padding)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        shape.Validate();
        if (!TensorNames.DataflowOrder.Contains(tensorName))
        {
            throw new ArgumentException($"'{tensorName}' is not a canonical tensor name; known: {string.Join(", ", TensorNames.DataflowOrder)}", nameof(tensorName));
        }

        var axes = new TensorAxes(tensorName, shape);
        var canonical = $"[{string.Join(", ", axes.Dims)}]";
        if (!actual.ShapeEquals([.. axes.Dims]))
        {
            throw new ArgumentException($"{tensorName}: actual has shape {actual.ShapeText}, expected {canonical} for {shape}", nameof(actual));
        }

        if (!expected.ShapeEquals([.. axes.Dims]))
        {
            throw new ArgumentException($"{tensorName}: expected (reference) has shape {expected.ShapeText}, expected {canonical} for {shape}", nameof(expected));
        }

        var outOfRange = padding?.Where(p => p < 0 || p >= shape.Sequence).Order().ToArray() ?? [];
        if (outOfRange.Length > 0)
        {
            throw new ArgumentException($"{tensorName}: padding key positions {string.Join(", ", outOfRange)} lie outside 0–{shape.Sequence - 1}", nameof(padding));
        }

        return axes;
    }
}
