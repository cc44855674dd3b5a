using Harness.Diagnosis.Patterns;

namespace Harness.Reporting;

/// <summary>The axis labels of an error heatmap.</summary>
public static class HeatmapText
{
    public static string RowLabel(ErrorHeatmap heatmap) => PerCell("row b·S+s", heatmap.RowsPerCell);

    public static string ColumnLabel(ErrorHeatmap heatmap) => PerCell(
        heatmap.ColumnAxis switch
        {
            HeatmapColumnAxis.KeyPositionOverHeads => "key position (max over heads)",
            HeatmapColumnAxis.Channel => "channel h·D+d",
            HeatmapColumnAxis.QkvChannel => "part·M + h·D+d (q, k, v)",
            HeatmapColumnAxis.Head => "head",
            HeatmapColumnAxis.Value => "value",
            HeatmapColumnAxis.HeadColumn => "column h·D+d",
            HeatmapColumnAxis.Column => "column",
            _ => throw new ArgumentOutOfRangeException(nameof(heatmap), heatmap.ColumnAxis, "a heatmap axis without words"),
        },
        heatmap.ColumnsPerCell);

    private static string PerCell(string axis, int perCell) => perCell == 1 ? axis : $"{axis} (max over {perCell} per cell)";
}
