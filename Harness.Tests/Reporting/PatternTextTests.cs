using Harness.Diagnosis.Patterns;
using Harness.Reporting;
using Harness.Tests.Diagnosis.Patterns;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the words users read for error-pattern findings built by hand, so a changed wording fails here.</summary>
public sealed class PatternTextTests
{
    private static IEnumerable<TestCaseData> Golden()
    {
        yield return Case("no mismatches", new NoMismatchFinding());
        yield return Case("2 non-finite values (NaN/Inf), first at [2, 5]", new NonFiniteFinding(2, [2, 5], 1.0));
        yield return Case("only batch 1", new BatchFinding(true, [1], 1.0));
        yield return Case("80% of mismatches in batches 0 and 2", new BatchFinding(false, [0, 2], 0.8));
        yield return Case("only the K part", new PartFinding(true, [QkvPart.K], 1.0));
        yield return Case("only the Q and V parts", new PartFinding(true, [QkvPart.Q, QkvPart.V], 1.0));
        yield return Case("all mismatches in head 2", new HeadFinding(true, [2], 1.0));
        yield return Case("all mismatches in heads 0 and 3", new HeadFinding(true, [0, 3], 1.0));
        yield return Case("90% of mismatches in heads 1–5", new HeadFinding(false, [1, 2, 3, 4, 5], 0.9));
        yield return Case("only rows 3–5, 20", new RowFinding(true, RowAxis.Rows, [3, 4, 5, 20], null, false, 1.0));
        yield return Case("only query rows 7", new RowFinding(true, RowAxis.QueryRows, [7], null, false, 1.0));
        yield return Case(
            "only rows 368–383 (the last 16-row tile)",
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(368, 16)], new RowTiles(16, [23], 24, false), false, 1.0));
        yield return Case(
            "only rows 16–31 (tile 1, a 16-row tile) of every batch",
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(16, 16)], new RowTiles(16, [1], 3, false), true, 1.0));
        yield return Case(
            "99% of mismatches in rows 48–63 (the last 16-row tile)",
            new RowFinding(false, RowAxis.Rows, [.. Enumerable.Range(48, 16)], new RowTiles(16, [3], 4, false), false, 256.0 / 257));
        yield return Case(
            "only rows 32–39 (the last 32-row tile, partial)",
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(32, 8)], new RowTiles(32, [1], 2, true), false, 1.0));
        yield return Case(
            "only rows 0–15 (the first 16-row tile)",
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(0, 16)], new RowTiles(16, [0], 3, false), false, 1.0));
        yield return Case(
            "only rows 0–15, 32–39 (16-row tiles 0, 2 of 3, partial)",
            new RowFinding(true, RowAxis.Rows, [.. Enumerable.Range(0, 16), .. Enumerable.Range(32, 8)], new RowTiles(16, [0, 2], 3, true), false, 1.0));
        yield return Case("only columns 2–4", new ColumnFinding(true, ColumnAxis.Columns, [2, 3, 4], 1.0));
        yield return Case("only key positions 35–39", new ColumnFinding(true, ColumnAxis.KeyPositions, [35, 36, 37, 38, 39], 1.0));
        yield return Case("0.5% of mismatches in channels 9", new ColumnFinding(false, ColumnAxis.Channels, [9], 0.005));
        yield return Case(
            "every mismatch in columns ≡ 0 (mod 64): d = 0 of every head",
            new PeriodicColumnFinding(true, ColumnAxis.Columns, 64, [0], true, 1.0));
        yield return Case("75% of mismatches in channels ≡ 1, 3 (mod 8)", new PeriodicColumnFinding(false, ColumnAxis.Channels, 8, [1, 3], false, 0.75));
        yield return Case("only padding key positions (5 of 40: 35–39)", new PaddingFinding(true, 200, 200, [35, 36, 37, 38, 39], 40));
        yield return Case("none at padding key positions (2 of 40: 38–39)", new PaddingFinding(true, 0, 90, [38, 39], 40));
        yield return Case("33% of mismatches at padding token rows (2 of 7: 5–6)", new PaddingFinding(false, 1, 3, [5, 6], 7));
        yield return Case("uniform: 92% of rows, 100% of columns, 3 of 3 heads, no structure", new UniformFinding(0.925, ColumnAxis.Columns, 1.0, 3, 3));
        yield return Case("uniform: 12% of rows, no structure", new UniformFinding(0.125, ColumnAxis.Columns, null, 0, 0));
    }

    [TestCaseSource(nameof(Golden))]
    public void Line_Finding_IsTheGoldenLine(PatternFinding finding, string line)
    {
        PatternText.Line(finding).Should().Be(line);
    }

    [Test]
    public void Line_AnalyzedHeadTwoOfContext_ReadsAsBefore()
    {
        var pattern = PatternTensors.Analyze(TensorNames.AttnContext, PatternTensors.Small, i => i[2] / 4 == 2);

        PatternText.Lines(pattern.Findings).Should().Equal("all mismatches in head 2");
    }

    [TestCase(new[] { 0, 1, 2, 3, 5, 9, 10 }, "0–3, 5, 9–10")]
    [TestCase(new[] { 4 }, "4")]
    [TestCase(new[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18 }, "0, 2, 4, 6, 8, 10, 12, 14, … (10 runs)")]
    public void Format_IndexSet_IsRunLengthCompressed(int[] indices, string text)
    {
        RangeText.Format(indices).Should().Be(text);
    }

    [Test]
    public void Labels_PooledHeadColumns_SayWhatACellSpans()
    {
        var heatmap = new ErrorHeatmap(new double[1, 1], HeatmapColumnAxis.HeadColumn, 2, 3);

        (HeatmapText.RowLabel(heatmap), HeatmapText.ColumnLabel(heatmap))
            .Should().Be(("row b·S+s (max over 2 per cell)", "column h·D+d (max over 3 per cell)"));
    }

    [Test]
    public void ColumnLabel_Scores_IsKeyPositionOverHeads()
    {
        HeatmapText.ColumnLabel(new ErrorHeatmap(new double[1, 1], HeatmapColumnAxis.KeyPositionOverHeads, 1, 1))
            .Should().Be("key position (max over heads)");
    }

    private static TestCaseData Case(string line, PatternFinding finding) =>
        new TestCaseData(finding, line).SetArgDisplayNames(finding.Kind.ToString(), line);
}
