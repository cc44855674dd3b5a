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
        var tiles = pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Subject;
        tiles.Text.Should().Contain("rows 368–383").And.Contain("the last 16-row tile").And.StartWith("only");
        tiles.Coverage.Should().Be(1.0);
        pattern.Findings.Should().NotContain(f => f.Kind == PatternKind.Uniform || f.Kind == PatternKind.Heads);
        pattern.ByTile[16][23].Should().Be(16 * 768);
        pattern.ByTile[16].Take(23).Should().AllSatisfy(c => c.Should().Be(0));
    }

    [Test]
    public void Analyze_MiddleTileInEveryBatchOfAwkwardShape_SaysEveryBatch()
    {
        var shape = new LayerShape(2, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.AttnContext, shape, i => i[1] is >= 16 and < 32);

        var tiles = pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Subject;
        tiles.Text.Should().Be("only rows 16–31 (tile 1, a 16-row tile) of every batch");
        pattern.ByTile[16].Should().Equal(0, 2 * 16 * 12, 0);
        pattern.ByRow.Should().HaveCount(80);
        pattern.ByBatch.Should().Equal(16 * 12, 16 * 12);
    }

    [Test]
    public void Analyze_RowsNotMadeOfTiles_ListsRangesWithoutTile()
    {
        var shape = new LayerShape(1, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.FfnFc1, shape, i => i[1] is 3 or 4 or 5 or 20);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Rows).Which.Text.Should().Be("only rows 3–5, 20");
        pattern.ByHead.Should().BeEmpty("[B,S,F] tensors have no heads");
    }

    [Test]
    public void Analyze_MostMismatchesInOneTileWithStragglers_StatesShare()
    {
        var shape = new LayerShape(1, 64, 2, 8, 32);
        var pattern = PatternTensors.Analyze(TensorNames.Output, shape, i => i[1] >= 48 || (i[1] == 3 && i[2] == 0));

        var tiles = pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Subject;
        tiles.Text.Should().Be("99% of mismatches in rows 48–63 (the last 16-row tile)");
        tiles.Coverage.Should().BeApproximately(256.0 / 257, 1e-12);
    }

    [Test]
    public void Analyze_OneBatchOnly_NamesTheBatch()
    {
        var shape = new LayerShape(3, 7, 3, 5, 11);
        var pattern = PatternTensors.Analyze(TensorNames.Input, shape, i => i[0] == 1);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Batches).Which.Text.Should().Be("only batch 1");
    }

    [Test]
    public void Analyze_LayerNormSumOfLastRows_NamesRows()
    {
        var shape = new LayerShape(1, 40, 3, 4, 10);
        var pattern = PatternTensors.Analyze(TensorNames.AttnLnSum, shape, i => i[0] >= 32);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Tiles).Which.Text.Should().Be("only rows 32–39 (the last 32-row tile, partial)");
        pattern.ByColumn.Should().BeEmpty();
    }
}
