using System.Text.RegularExpressions;
using Harness.Comparison;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

public sealed class TensorDumpTests
{
    [Test]
    public void Render_Fp16Tensor_PrintsTheDumpFormatLineByLine()
    {
        var values = new double[] { 0.5, -1.25, 2, 0, 0.333251953125, 3, 4, 5, 6, 7, 8, 9 };
        var stats = TensorStatistics.Of(new HostTensor([1, 2, 6], values, ElementType.Float16));

        var lines = TensorDump.Render("attn.output", stats).Split('\n');

        lines.Should().Equal(
            "=== attn.output ===",
            "Shape: [1, 2, 6]",
            "Dtype: float16",
            "Min: -1.25",
            "Max: 9",
            "Mean: 3.63194",
            "Std: 3.26129",
            "First 10 values: 0.5 -1.25 2 0 0.333252 3 4 5 6 7",
            string.Empty);
    }

    [Test]
    public void Render_NonFiniteValues_AddsALineCountingThem()
    {
        var stats = TensorStatistics.Of(new HostTensor([3], [1, double.NaN, double.NegativeInfinity], ElementType.Float32));

        var lines = TensorDump.Render("attn.softmax_rowsum", stats).Split('\n');

        lines[7].Should().Be("First 10 values: 1 nan -inf");
        lines[8].Should().Be("Non-finite: 1 nan, 0 inf, 1 -inf");
    }

    [Test]
    public void RenderSideBySide_OneMismatchIn2000_ShowsBothColumnsAndTheDifference()
    {
        var expected = new HostTensor([8, 250], Enumerable.Range(0, 2000).Select(i => i / 2048.0).ToArray(), ElementType.Float64);
        var actualData = (double[])expected.Data.Clone();
        actualData[7] = 1;
        var actual = new HostTensor([8, 250], actualData, ElementType.Float16);
        var comparison = TensorComparer.Compare("attn.probs", actual, expected, new Tolerance(1e-3, 0));

        var text = TensorDump.RenderSideBySide(comparison);
        var lines = text.Split('\n');

        lines[0].Should().Be("=== attn.probs ===");
        lines[1].Should().MatchRegex(@"^\s+reference\s+kernel\s+\|\s+difference$");
        lines[2].Should().MatchRegex(@"^Shape\s+\[8, 250\]\s+\[8, 250\]\s+\|\s+Max abs\s+0\.996582$");
        lines[3].Should().MatchRegex(@"^Dtype\s+float64\s+float16\s+\|");
        text.Should().Contain("Mismatch").And.Contain("0.05% (1 of 2000)");
        lines.Should().Contain(l => Regex.IsMatch(l, @"^Value\[7\]\s+0\.00341797\s+1\s+\|"));
        lines.Should().Contain(l => l.Contains("Worst index") && l.Contains("[0, 7] (flat 7)"));
        lines.Should().Contain(l => Regex.IsMatch(l, @"\|\s+Verdict\s+FAIL$"));
        var bars = lines.Where(l => l.Contains('|')).Select(l => l.IndexOf('|')).Distinct();
        bars.Should().HaveCount(1, "the difference column starts at the same place on every line");
    }
}
