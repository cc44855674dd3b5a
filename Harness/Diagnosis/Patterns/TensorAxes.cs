using System.Runtime.CompilerServices;
using Harness.Model;

namespace Harness.Diagnosis.Patterns;

/// <summary>The layout families of the canonical tensors (docs/SEMANTICS.md §1), which decide the axes a pattern can name.</summary>
internal enum AxesLayout
{
    /// <summary>[B,S,X]: token rows by channels (X = M or F).</summary>
    TokenRows,

    /// <summary>[B,H,S,D]: attn.q/k/v.</summary>
    HeadSplit,

    /// <summary>[3,B·H,S,D]: attn.qkv.</summary>
    Stacked,

    /// <summary>[B,H,S,S]: scores and probabilities, query rows by key positions.</summary>
    Scores,

    /// <summary>[B·H,S]: the softmax row sums.</summary>
    RowSum,

    /// <summary>[B·S]: the LayerNorm Σx and Σx² accumulators.</summary>
    TokenVector,
}

/// <summary>The coordinates of one element along the axes a pattern talks about; −1 where the tensor lacks the axis.</summary>
internal readonly record struct ElementCoordinates(int Batch, int Part, int Head, int Token, int Column);

/// <summary>Maps a flat row-major index of a canonical tensor to batch, part, head, token row and column.</summary>
internal sealed class TensorAxes
{
    private readonly long[] dims;

    public TensorAxes(string tensorName, LayerShape shape)
    {
        Shape = shape;
        dims = TensorNames.ShapeOf(tensorName, shape);
        Layout = tensorName switch
        {
            TensorNames.AttnQ or TensorNames.AttnK or TensorNames.AttnV => AxesLayout.HeadSplit,
            TensorNames.AttnQkv => AxesLayout.Stacked,
            TensorNames.AttnScoresRaw or TensorNames.AttnScores or TensorNames.AttnProbs => AxesLayout.Scores,
            TensorNames.AttnSoftmaxRowSum => AxesLayout.RowSum,
            TensorNames.AttnLnSum or TensorNames.AttnLnSumSq or TensorNames.FfnLnSum or TensorNames.FfnLnSumSq => AxesLayout.TokenVector,
            _ => AxesLayout.TokenRows,
        };

        // Invariant: [B,S,F] tensors have no head structure; only the [B,S,M] ones split columns as head·D + d.
        var tokenRowsHaveHeads = Layout == AxesLayout.TokenRows && tensorName is not (TensorNames.FfnFc1Linear or TensorNames.FfnFc1);
        HasHeads = Layout != AxesLayout.TokenVector && (Layout != AxesLayout.TokenRows || tokenRowsHaveHeads);
        HeadColumns = Layout is AxesLayout.HeadSplit or AxesLayout.Stacked || tokenRowsHaveHeads;
        ColumnCount = Layout switch
        {
            AxesLayout.TokenRows => (int)dims[2],
            AxesLayout.HeadSplit or AxesLayout.Stacked => shape.Model,
            AxesLayout.Scores => shape.Sequence,
            _ => 0,
        };
        HeatmapColumns = Layout switch
        {
            AxesLayout.Stacked => 3 * shape.Model,
            AxesLayout.RowSum => shape.Heads,
            AxesLayout.TokenVector => 1,
            _ => ColumnCount,
        };
    }

    public LayerShape Shape { get; }

    public IReadOnlyList<long> Dims => dims;

    public AxesLayout Layout { get; }

    public bool HasHeads { get; }

    /// <summary>Whether column c belongs to head c / D (so a finding may say "d = r of every head").</summary>
    public bool HeadColumns { get; }

    public int ColumnCount { get; }

    public int HeatmapColumns { get; }

    public int RowCount => Shape.Batch * Shape.Sequence;

    public RowAxis RowAxis => Layout == AxesLayout.Scores ? RowAxis.QueryRows : RowAxis.Rows;

    public ColumnAxis ColumnAxis => Layout switch
    {
        AxesLayout.Scores => ColumnAxis.KeyPositions,
        AxesLayout.HeadSplit or AxesLayout.Stacked => ColumnAxis.Channels,
        _ => ColumnAxis.Columns,
    };

    public HeatmapColumnAxis HeatmapColumnAxis => Layout switch
    {
        AxesLayout.Scores => HeatmapColumnAxis.KeyPositionOverHeads,
        AxesLayout.HeadSplit => HeatmapColumnAxis.Channel,
        AxesLayout.Stacked => HeatmapColumnAxis.QkvChannel,
        AxesLayout.RowSum => HeatmapColumnAxis.Head,
        AxesLayout.TokenVector => HeatmapColumnAxis.Value,
        _ when HeadColumns => HeatmapColumnAxis.HeadColumn,
        _ => HeatmapColumnAxis.Column,
    };

    // Optimised at once: called per element from a sweep, it ran as unoptimised (tier-0) code for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ElementCoordinates Locate(long index)
    {
        var s = Shape;
        switch (Layout)
        {
            case AxesLayout.TokenRows:
                {
                    var x = (int)dims[2];
                    var column = (int)(index % x);
                    var row = index / x;
                    return new ElementCoordinates((int)(row / s.Sequence), -1, HeadColumns ? column / s.HeadSize : -1, (int)(row % s.Sequence), column);
                }

            case AxesLayout.HeadSplit:
                {
                    var d = (int)(index % s.HeadSize);
                    var rest = index / s.HeadSize;
                    var token = (int)(rest % s.Sequence);
                    rest /= s.Sequence;
                    var head = (int)(rest % s.Heads);
                    return new ElementCoordinates((int)(rest / s.Heads), -1, head, token, head * s.HeadSize + d);
                }

            case AxesLayout.Stacked:
                {
                    var d = (int)(index % s.HeadSize);
                    var rest = index / s.HeadSize;
                    var token = (int)(rest % s.Sequence);
                    rest /= s.Sequence;
                    var batchHead = rest % (s.Batch * s.Heads);
                    var head = (int)(batchHead % s.Heads);
                    return new ElementCoordinates((int)(batchHead / s.Heads), (int)(rest / (s.Batch * s.Heads)), head, token, head * s.HeadSize + d);
                }

            case AxesLayout.Scores:
                {
                    var key = (int)(index % s.Sequence);
                    var rest = index / s.Sequence;
                    var token = (int)(rest % s.Sequence);
                    rest /= s.Sequence;
                    return new ElementCoordinates((int)(rest / s.Heads), -1, (int)(rest % s.Heads), token, key);
                }

            case AxesLayout.RowSum:
                {
                    var token = (int)(index % s.Sequence);
                    var batchHead = index / s.Sequence;
                    return new ElementCoordinates((int)(batchHead / s.Heads), -1, (int)(batchHead % s.Heads), token, -1);
                }

            default:
                return new ElementCoordinates((int)(index / s.Sequence), -1, -1, (int)(index % s.Sequence), -1);
        }
    }

    /// <summary>The heatmap column of an element (before pooling).</summary>
    public int HeatmapColumn(ElementCoordinates c) => Layout switch
    {
        AxesLayout.Stacked => c.Part * Shape.Model + c.Column,
        AxesLayout.RowSum => c.Head,
        AxesLayout.TokenVector => 0,
        _ => c.Column,
    };

    /// <summary>Whether an element sits at a padding position: its key column for scores, its token row otherwise.</summary>
    public bool AtPadding(ElementCoordinates c, IReadOnlySet<int> padding) =>
        padding.Contains(Layout == AxesLayout.Scores ? c.Column : c.Token);
}
