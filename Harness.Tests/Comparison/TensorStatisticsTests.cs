using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class TensorStatisticsTests
{
    [Test]
    public void Of_FourValues_MatchesMomentsComputedByHand()
    {
        var stats = TensorStatistics.Of(TestTensors.Vector(1, 2, 3, 4));

        stats.Count.Should().Be(4);
        stats.FiniteCount.Should().Be(4);
        stats.Min.Should().Be(1);
        stats.Max.Should().Be(4);
        stats.Mean.Should().Be(2.5);
        stats.Std.Should().BeApproximately(Math.Sqrt(1.25), 1e-15, "population variance of 1..4 is (2.25+0.25+0.25+2.25)/4");
        stats.MaxMagnitude.Should().Be(4);
    }

    [Test]
    public void Of_AwkwardShape_KeepsShapeDtypeAndFirstTenValues()
    {
        var tensor = TestTensors.Generate(ElementType.Float16, [7, 3, 5], i => -0.5 * i);

        var stats = TensorStatistics.Of(tensor);

        stats.Shape.Should().Equal(7L, 3L, 5L);
        stats.Dtype.Should().Be(ElementType.Float16);
        stats.Count.Should().Be(105);
        stats.First10.Should().Equal(0, -0.5, -1, -1.5, -2, -2.5, -3, -3.5, -4, -4.5);
        stats.Min.Should().Be(-52);
        stats.Max.Should().Be(0);
        stats.Mean.Should().Be(-26);
    }

    [Test]
    public void Of_FewerThanTenValues_KeepsThemAll()
    {
        TensorStatistics.Of(TestTensors.Vector(3, -1)).First10.Should().Equal(3, -1);
    }

    [Test]
    public void Of_NaNAndInfinities_CountsThemApartFromTheMoments()
    {
        var stats = TensorStatistics.Of(TestTensors.Vector(1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 3, double.PositiveInfinity));

        stats.FiniteCount.Should().Be(2);
        stats.NaNCount.Should().Be(1);
        stats.PositiveInfinityCount.Should().Be(2);
        stats.NegativeInfinityCount.Should().Be(1);
        stats.InfinityCount.Should().Be(3);
        stats.Mean.Should().Be(2);
        stats.Std.Should().Be(1);
        stats.Min.Should().Be(1);
        stats.Max.Should().Be(3);
    }

    [Test]
    public void Of_NoFiniteValue_MomentsAreNaN()
    {
        var stats = TensorStatistics.Of(TestTensors.Vector(double.NaN, double.NaN));

        stats.Min.Should().Be(double.NaN);
        stats.Max.Should().Be(double.NaN);
        stats.Mean.Should().Be(double.NaN);
        stats.Std.Should().Be(double.NaN);
        stats.MaxMagnitude.Should().Be(0);
    }

    [Test]
    public void Of_LargeOffsetSmallSpreadOverManyBlocks_KeepsTheStdExact()
    {
        // 1e9 ± 1 over 5000 values: Σx² − (Σx)²/n would lose every digit of the variance to cancellation.
        var tensor = TestTensors.Generate(ElementType.Float64, [5000], i => 1e9 + (i % 2 == 0 ? 1 : -1));

        var stats = TensorStatistics.Of(tensor);

        stats.Mean.Should().Be(1e9);
        stats.Std.Should().BeApproximately(1, 1e-9);
    }

    [Test]
    public void Of_BertScoresSizedTensor_MatchesTheClosedForm()
    {
        // 384·384·12 values cycling 0..7: mean 3.5 and population variance (8² − 1)/12 = 5.25 exactly.
        var tensor = TestTensors.Generate(ElementType.Float16, [1, 12, 384, 384], i => i % 8);

        var stats = TensorStatistics.Of(tensor);

        stats.Count.Should().Be(1_769_472);
        stats.Mean.Should().BeApproximately(3.5, 1e-12);
        stats.Std.Should().BeApproximately(Math.Sqrt(5.25), 1e-12);
    }
}
