using Harness.Reporting.Plots;

namespace Harness.Tests.Reporting;

public sealed class PlotsLogHistogramTests
{
    [Test]
    public void From_MixedErrors_BinsLogsAndKeepsZerosAndNonFiniteApart()
    {
        var histogram = LogHistogram.From([1e-3, 1.5e-3, 1e-1, 0, double.NaN, double.PositiveInfinity], 0.25);

        histogram.Zeros.Should().Be(1);
        histogram.NonFinite.Should().Be(2);
        histogram.Counts.Sum().Should().Be(3);
        histogram.Counts.Should().HaveCount(9, "log10 spans −3 to −1 in quarter decades: bins −3.00 … −1.00");
        histogram.Counts[0].Should().Be(2);
        histogram.Counts[^1].Should().Be(1);
        histogram.Centers[0].Should().BeApproximately(-2.875, 1e-12);
        histogram.ZeroPosition.Should().BeLessThan(histogram.Centers[0]);
    }

    [Test]
    public void From_OnlyZeros_HasNoBins()
    {
        var histogram = LogHistogram.From([0.0, 0.0], 0.25);

        histogram.Counts.Should().BeEmpty();
        histogram.Zeros.Should().Be(2);
    }
}
