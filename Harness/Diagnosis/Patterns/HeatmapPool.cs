using System.Runtime.CompilerServices;

namespace Harness.Diagnosis.Patterns;

/// <summary>Max-pools |error| onto a grid of at most <see cref="ErrorPatternAnalyzer.MaxHeatmapCells"/> per side.</summary>
internal sealed class HeatmapPool
{
    private readonly TensorAxes axes;
    private readonly double[,] values;
    private readonly int rowsPerCell;
    private readonly int columnsPerCell;

    public HeatmapPool(TensorAxes axes)
    {
        this.axes = axes;
        rowsPerCell = CellSize(axes.RowCount);
        columnsPerCell = CellSize(axes.HeatmapColumns);
        values = new double[(axes.RowCount + rowsPerCell - 1) / rowsPerCell, (axes.HeatmapColumns + columnsPerCell - 1) / columnsPerCell];
    }

    /// <summary>Adds one |error|; NaN marks a non-finite element and sticks to its cell.</summary>
    // Optimised at once: called per element from a sweep, it ran as unoptimised (tier-0) code for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ElementCoordinates c, double absError)
    {
        var r = (c.Batch * axes.Shape.Sequence + c.Token) / rowsPerCell;
        var k = axes.HeatmapColumn(c) / columnsPerCell;
        var current = values[r, k];
        if (double.IsNaN(current))
        {
            return;
        }

        values[r, k] = double.IsNaN(absError) ? double.NaN : Math.Max(current, absError);
    }

    public ErrorHeatmap ToHeatmap() => new(values, axes.HeatmapColumnAxis, rowsPerCell, columnsPerCell);

    private static int CellSize(int count) => Math.Max(1, (count + ErrorPatternAnalyzer.MaxHeatmapCells - 1) / ErrorPatternAnalyzer.MaxHeatmapCells);
}
