using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternHeatmapTests
{
    [Test]
    public void Analyze_SmallTensor_HeatmapIsOneCellPerElement()
    {
        var shape = new LayerShape(2, 7, 3, 5, 11);
        var heatmap = PatternTensors.Analyze(TensorNames.Output, shape, i => i[0] == 1 && i[1] == 6 && i[2] == 14).Heatmap;

        heatmap.Rows.Should().Be(14);
        heatmap.Columns.Should().Be(15);
        heatmap.Values[13, 14].Should().BeApproximately(PatternTensors.Offset, 1e-12);
        heatmap.Values[0, 0].Should().Be(0);
        heatmap.ColumnAxis.Should().Be(HeatmapColumnAxis.HeadColumn);
        (heatmap.RowsPerCell, heatmap.ColumnsPerCell).Should().Be((1, 1));
    }

    [Test]
    public void Analyze_Bert384_HeatmapIsMaxPooledTo256()
    {
        var shape = LayerShape.BertBase384;
        var heatmap = PatternTensors.Analyze(TensorNames.Output, shape, i => i[1] == 101 && i[2] == 500).Heatmap;

        heatmap.RowsPerCell.Should().Be(2);
        heatmap.ColumnsPerCell.Should().Be(3);
        heatmap.Rows.Should().Be(192);
        heatmap.Columns.Should().Be(256);
        heatmap.Values[50, 166].Should().BeApproximately(PatternTensors.Offset, 1e-12);
    }

    [Test]
    public void Analyze_Probabilities_HeatmapColumnsAreKeysMaxedOverHeads()
    {
        var shape = new LayerShape(1, 40, 3, 4, 10);
        var heatmap = PatternTensors.Analyze(TensorNames.AttnProbs, shape, i => i[1] == 2 && i[2] == 9 && i[3] == 33).Heatmap;

        heatmap.Rows.Should().Be(40);
        heatmap.Columns.Should().Be(40);
        heatmap.Values[9, 33].Should().BeApproximately(PatternTensors.Offset, 1e-12);
        heatmap.ColumnAxis.Should().Be(HeatmapColumnAxis.KeyPositionOverHeads);
    }
}
