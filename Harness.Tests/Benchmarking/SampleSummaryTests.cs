using Harness.Benchmarking;

namespace Harness.Tests.Benchmarking;

public sealed class SampleSummaryTests
{
    [Test]
    public void Of_OddCount_MedianIsMiddleAndPercentilesAreRanks()
    {
        // 1..11 shuffled: rank p·10 is an integer for p = 0.1, 0.5, 0.9.
        var s = SampleSummary.Of([7, 3, 11, 1, 9, 5, 2, 10, 4, 8, 6]);

        s.Should().Be(new SampleSummary(11, 6, 2, 10, 1, 11));
    }

    [Test]
    public void Of_EvenCount_MedianIsMeanOfMiddleTwo()
    {
        SampleSummary.Of([4, 1, 3, 2]).Median.Should().Be(2.5);
    }

    [Test]
    public void Percentile_BetweenRanks_InterpolatesLinearly()
    {
        // Two samples 0 and 10: rank 0.1·1 = 0.1 → 1; rank 0.9 → 9.
        SampleSummary.Percentile([0, 10], 0.1).Should().BeApproximately(1, 1e-12);
        SampleSummary.Percentile([0, 10], 0.9).Should().BeApproximately(9, 1e-12);
    }

    [Test]
    public void Of_OneSample_EveryStatisticIsThatSample()
    {
        SampleSummary.Of([3.5]).Should().Be(new SampleSummary(1, 3.5, 3.5, 3.5, 3.5, 3.5));
    }

    [Test]
    public void Of_NoSamplesOrNaN_Throws()
    {
        FluentActions.Invoking(() => SampleSummary.Of([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => SampleSummary.Of([1, double.NaN])).Should().Throw<ArgumentException>();
    }
}
