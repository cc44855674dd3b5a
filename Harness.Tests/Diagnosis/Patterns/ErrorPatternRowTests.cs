using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternRowTests
{
    [Test]
    public void Analyze_LastSixteenRowTileOfBert384_NamesRowsAndTile()
    {
        var shape = LayerShape.BertBase384;
        var pattern = PatternTensors.Analyze(TensorNames.Output, shape, i => i[1] >= 368);

        pattern.MismatchCount.Should().Be(16 * 768);
        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Which.Should().BeEquivalentTo(
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(368, 16)], new RowTiles(16, [23], 24, Partial: false), EveryBatch: false, 1.0));
        pattern.Findings.Should().NotContain(f => f.Kind == PatternKind.Uniform || f.Kind == PatternKind.Heads);
        pattern.ByTile[16][23].Should().Be(16 * 768);
        pattern.ByTile[16].Take(23).Should().AllSatisfy(c => c.Should().Be(0));
    }

    [Test]
    public void Analyze_MiddleTileInEveryBatchOfAwkwardShape_SaysEveryBatch()
    {
        var shape = new LayerShape(2, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.AttnContext, shape, i => i[1] is >= 16 and < 32);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Which.Should().BeEquivalentTo(
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(16, 16)], new RowTiles(16, [1], 3, Partial: false), EveryBatch: true, 1.0));
        pattern.ByTile[16].Should().Equal(0, 2 * 16 * 12, 0);
        pattern.ByRow.Should().HaveCount(80);
        pattern.ByBatch.Should().Equal(16 * 12, 16 * 12);
    }

    [Test]
    public void Analyze_RowsNotMadeOfTiles_ListsRangesWithoutTile()
    {
        var shape = new LayerShape(1, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.FfnFc1, shape, i => i[1] is 3 or 4 or 5 or 20);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Rows)
            .Which.Should().BeEquivalentTo(new RowFinding(true, RowAxis.Rows, [3, 4, 5, 20], null, EveryBatch: false, 1.0));
        pattern.ByHead.Should().BeEmpty("[B,S,F] tensors have no heads");
    }

    [Test]
    public void Analyze_MostMismatchesInOneTileWithStragglers_StatesShare()
    {
        var shape = new LayerShape(1, 64, 2, 8, 32);
        var pattern = PatternTensors.Analyze(TensorNames.Output, shape, i => i[1] >= 48 || (i[1] == 3 && i[2] == 0));

        var tiles = pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Subject;
        tiles.Should().BeEquivalentTo(new { Only = false, Rows = Enumerable.Range(48, 16), Tiles = new RowTiles(16, [3], 4, Partial: false) });
        tiles.Coverage.Should().BeApproximately(256.0 / 257, 1e-12);
    }

    [Test]
    public void Analyze_OneBatchOnly_NamesTheBatch()
    {
        var shape = new LayerShape(3, 7, 3, 5, 11);
        var pattern = PatternTensors.Analyze(TensorNames.Input, shape, i => i[0] == 1);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Batches).Which.Should().BeEquivalentTo(new BatchFinding(true, [1], 1.0));
    }

    [Test]
    public void Analyze_LayerNormSumOfLastRows_NamesRows()
    {
        var shape = new LayerShape(1, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.AttnLnSum, shape, i => i[0] >= 32);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Which.Should().BeEquivalentTo(
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(32, 8)], new RowTiles(32, [1], 2, Partial: true), EveryBatch: false, 1.0));
        pattern.ByColumn.Should().BeEmpty();
    }
}
