using System.Runtime.CompilerServices;

namespace Harness.Diagnosis.Patterns;

/// <summary>Mismatch counts per bucket along every axis a tensor has, filled one mismatching element at a time.</summary>
internal sealed class Counts
{
    private readonly TensorAxes axes;

    public Counts(TensorAxes axes, bool trackPadding)
    {
        this.axes = axes;
        var s = axes.Shape;
        ByRow = new long[axes.RowCount];
        ByToken = new long[s.Sequence];
        ByColumn = new long[axes.ColumnCount];
        ByHead = new long[axes.HasHeads ? s.Heads : 0];
        ByBatch = new long[s.Batch];
        ByPart = new long[axes.Layout == AxesLayout.Stacked ? 3 : 0];
        TrackPadding = trackPadding;
    }

    public long[] ByRow { get; }

    public long[] ByToken { get; }

    public long[] ByColumn { get; }

    public long[] ByHead { get; }

    public long[] ByBatch { get; }

    public long[] ByPart { get; }

    public bool TrackPadding { get; }

    public long Total { get; private set; }

    public long NonFinite { get; private set; }

    public long Padding { get; private set; }

    /// <summary>Flat index of the first non-finite element, −1 if none.</summary>
    public long FirstNonFinite { get; private set; } = -1;

    // Optimised at once: called per element from a sweep, it ran as unoptimised (tier-0) code for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ElementCoordinates c, bool nonFinite, bool atPadding, long index)
    {
        Total++;
        ByRow[c.Batch * axes.Shape.Sequence + c.Token]++;
        ByToken[c.Token]++;
        ByBatch[c.Batch]++;
        if (c.Column >= 0)
        {
            ByColumn[c.Column]++;
        }

        if (ByHead.Length > 0)
        {
            ByHead[c.Head]++;
        }

        if (c.Part >= 0)
        {
            ByPart[c.Part]++;
        }

        if (atPadding)
        {
            Padding++;
        }

        if (nonFinite)
        {
            if (NonFinite == 0)
            {
                FirstNonFinite = index;
            }

            NonFinite++;
        }
    }
}
