namespace Harness.Diagnosis.Patterns;

/// <summary>What a heatmap column is; its rows are always token rows b·S+s.</summary>
public enum HeatmapColumnAxis
{
    /// <summary>Key positions of [B,H,S,S] scores, max over heads.</summary>
    KeyPositionOverHeads,

    /// <summary>Channels h·D+d of attn.q/k/v.</summary>
    Channel,

    /// <summary>part·M + h·D+d of attn.qkv (q, k, v side by side).</summary>
    QkvChannel,

    /// <summary>Heads of the softmax row sums.</summary>
    Head,

    /// <summary>The one value per row of the LayerNorm accumulators.</summary>
    Value,

    /// <summary>Columns h·D+d of [B,S,M] tensors.</summary>
    HeadColumn,

    /// <summary>Columns of [B,S,F] tensors.</summary>
    Column,
}

/// <summary>
/// A row×column summary of |actual − expected| for heatmaps, max-pooled to at most 256×256 cells.
/// A cell holding a non-finite value (either side NaN or ±Inf) is NaN, so it can never look small.
/// </summary>
public sealed record ErrorHeatmap(double[,] Values, HeatmapColumnAxis ColumnAxis, int RowsPerCell, int ColumnsPerCell)
{
    public int Rows => Values.GetLength(0);

    public int Columns => Values.GetLength(1);
}

/// <summary>
/// Where the mismatches of one tensor sit, bucketed by the axes the tensor has. Buckets an axis does not have are empty.
/// Rows are token rows: <see cref="ByRow"/> is indexed b·S+s, <see cref="ByToken"/> by s summed over batches (for scores
/// and probabilities, s is the query row). Columns are channels (h·D+d for head-split tensors, within each of q/k/v for
/// attn.qkv), FFN columns, or key positions for [B,H,S,S] tensors.
/// </summary>
public sealed record ErrorPattern
{
    public required string TensorName { get; init; }

    public required long ElementCount { get; init; }

    /// <summary>Elements the mismatch predicate flagged, plus every element where either side is not finite.</summary>
    public required long MismatchCount { get; init; }

    public required long NonFiniteCount { get; init; }

    public required IReadOnlyList<long> ByRow { get; init; }

    public required IReadOnlyList<long> ByToken { get; init; }

    public required IReadOnlyList<long> ByColumn { get; init; }

    public required IReadOnlyList<long> ByHead { get; init; }

    public required IReadOnlyList<long> ByBatch { get; init; }

    /// <summary>For attn.qkv: mismatches in the Q, K and V parts; empty otherwise.</summary>
    public required IReadOnlyList<long> ByPart { get; init; }

    /// <summary>Tile size (16, 32, 64, 128 rows) → mismatches per tile of token rows, summed over batches.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyList<long>> ByTile { get; init; }

    /// <summary>Mismatches at padding positions (key columns for scores/probabilities, token rows otherwise); null when no padding was given.</summary>
    public long? PaddingMismatchCount { get; init; }

    public required IReadOnlyList<PatternFinding> Findings { get; init; }

    public required ErrorHeatmap Heatmap { get; init; }

    public double MismatchFraction => ElementCount == 0 ? 0 : (double)MismatchCount / ElementCount;
}
