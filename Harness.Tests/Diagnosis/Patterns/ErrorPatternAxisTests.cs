using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternAxisTests
{
    [Test]
    public void Analyze_OnlyHeadTwoOfMergedContext_NamesHeadTwo()
    {
        // [B,S,M] with column = head·D + d: head 2 is columns 8–11.
        var pattern = PatternTensors.Analyze(TensorNames.AttnContext, PatternTensors.Small, i => i[2] / 4 == 2);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Heads).Which.Text.Should().Be("all mismatches in head 2");
        pattern.ByHead.Should().Equal(0, 0, 40 * 4);
        pattern.Findings.Should().NotContain(f => f.Kind == PatternKind.Columns, "whole-head columns are said by the heads finding");
    }

    [Test]
    public void Analyze_HeadsZeroAndTwoOfHeadSplitQuery_NamesBothHeads()
    {
        var shape = new LayerShape(2, 7, 5, 5, 11);
        var pattern = PatternTensors.Analyze(TensorNames.AttnQ, shape, i => i[1] is 0 or 3);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Heads).Which.Text.Should().Be("all mismatches in heads 0 and 3");
    }

    [Test]
    public void Analyze_OnlyKeyPartOfStackedQkv_NamesThePart()
    {
        var pattern = PatternTensors.Analyze(TensorNames.AttnQkv, PatternTensors.Small, i => i[0] == 1);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Parts).Which.Text.Should().Be("only the K part");
        pattern.ByPart.Should().Equal(0, 40 * 12, 0);
    }

    [Test]
    public void Analyze_EverySixtyFourthColumnOfBert384_FindsPeriod()
    {
        var shape = LayerShape.BertBase384;
        var pattern = PatternTensors.Analyze(TensorNames.AttnDense, shape, i => i[2] % 64 == 0);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.PeriodicColumns)
            .Which.Text.Should().Be("every mismatch in columns ≡ 0 (mod 64): d = 0 of every head");
    }

    [Test]
    public void Analyze_ContiguousFfnColumns_NamesColumnRange()
    {
        var pattern = PatternTensors.Analyze(TensorNames.FfnFc1Linear, PatternTensors.Small, i => i[2] is >= 2 and <= 4);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Columns).Which.Text.Should().Be("only columns 2–4");
    }

    [Test]
    public void Analyze_MismatchesOnlyAtPaddingKeys_SaysOnlyPadding()
    {
        var padding = new HashSet<int> { 35, 36, 37, 38, 39 };
        var pattern = PatternTensors.Analyze(TensorNames.AttnProbs, PatternTensors.Small, i => padding.Contains((int)i[3]), padding);

        pattern.PaddingMismatchCount.Should().Be(pattern.MismatchCount);
        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Padding)
            .Which.Text.Should().Be("only padding key positions (5 of 40: 35–39)");
        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Columns).Which.Text.Should().Be("only key positions 35–39");
    }

    [Test]
    public void Analyze_MismatchesAwayFromPadding_SaysNoneAtPadding()
    {
        var padding = new HashSet<int> { 38, 39 };
        var pattern = PatternTensors.Analyze(TensorNames.AttnScores, PatternTensors.Small, i => i[3] < 3, padding);

        pattern.Findings.Should().ContainSingle(f => f.Kind == PatternKind.Padding).Which.Coverage.Should().Be(0);
        pattern.Findings.Single(f => f.Kind == PatternKind.Padding).Text.Should().StartWith("none at padding key positions");
    }
}
