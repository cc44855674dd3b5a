using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternAxisTests
{
    [Test]
    public void Analyze_OnlyHeadTwoOfMergedContext_NamesHeadTwo()
    {
        // [B,S,M] with column = head·D + d: head 2 is columns 8–11.
        var pattern = PatternTensors.Analyze(TensorNames.AttnContext, PatternTensors.Small, i => i[2] / 4 == 2);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Heads).Which.Should().BeEquivalentTo(new HeadFinding(true, [2], 1.0));
        pattern.ByHead.Should().Equal(0, 0, 40 * 4);
        pattern.Findings.Should().NotContain(f => f.Kind == PatternKind.Columns, "whole-head columns are said by the heads finding");
    }

    [Test]
    public void Analyze_HeadsZeroAndTwoOfHeadSplitQuery_NamesBothHeads()
    {
        var shape = new LayerShape(2, 7, 5, 5, 11);
        var pattern = PatternTensors.Analyze(TensorNames.AttnQ, shape, i => i[1] is 0 or 3);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Heads).Which.Should().BeEquivalentTo(new HeadFinding(true, [0, 3], 1.0));
    }

    [Test]
    public void Analyze_OnlyKeyPartOfStackedQkv_NamesThePart()
    {
        var pattern = PatternTensors.Analyze(TensorNames.AttnQkv, PatternTensors.Small, i => i[0] == 1);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Parts).Which.Should().BeEquivalentTo(new PartFinding(true, [QkvPart.K], 1.0));
        pattern.ByPart.Should().Equal(0, 40 * 12, 0);
    }

    [Test]
    public void Analyze_EverySixtyFourthColumnOfBert384_FindsPeriod()
    {
        var shape = LayerShape.BertBase384;
        var pattern = PatternTensors.Analyze(TensorNames.AttnDense, shape, i => i[2] % 64 == 0);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.PeriodicColumns)
            .Which.Should().BeEquivalentTo(new PeriodicColumnFinding(true, ColumnAxis.Columns, 64, [0], WithinHead: true, 1.0));
    }

    [Test]
    public void Analyze_ContiguousFfnColumns_NamesColumnRange()
    {
        var pattern = PatternTensors.Analyze(TensorNames.FfnFc1Linear, PatternTensors.Small, i => i[2] is >= 2 and <= 4);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Columns).Which.Should().BeEquivalentTo(new ColumnFinding(true, ColumnAxis.Columns, [2, 3, 4], 1.0));
    }

    [Test]
    public void Analyze_MismatchesOnlyAtPaddingKeys_SaysOnlyPadding()
    {
        var padding = new HashSet<int> { 35, 36, 37, 38, 39 };
        var pattern = PatternTensors.Analyze(TensorNames.AttnProbs, PatternTensors.Small, i => padding.Contains((int)i[3]), padding);

        pattern.PaddingMismatchCount.Should().Be(pattern.MismatchCount);
        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Padding)
            .Which.Should().BeEquivalentTo(new PaddingFinding(AtKeys: true, pattern.MismatchCount, pattern.MismatchCount, [35, 36, 37, 38, 39], 40));
        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Columns)
            .Which.Should().BeEquivalentTo(new ColumnFinding(true, ColumnAxis.KeyPositions, [35, 36, 37, 38, 39], 1.0));
    }

    [Test]
    public void Analyze_MismatchesAwayFromPadding_SaysNoneAtPadding()
    {
        var padding = new HashSet<int> { 38, 39 };
        var pattern = PatternTensors.Analyze(TensorNames.AttnScores, PatternTensors.Small, i => i[3] < 3, padding);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Padding).Which.Coverage.Should().Be(0);
        pattern.Findings.OfType<PaddingFinding>().Single().Should().BeEquivalentTo(new PaddingFinding(AtKeys: true, 0, pattern.MismatchCount, [38, 39], 40));
    }
}
