using Harness.Reporting.Plots;

namespace Harness.Tests.Reporting;

/// <summary>The colour bar's range and ticks, on the plot data (not pixels): a constant error gets a readable bar.</summary>
public class ColourScaleTests
{
    [TestCase(0.004)]
    [TestCase(3.0)]
    [TestCase(-0.5)]
    [TestCase(0.0)]
    public void Of_ConstantMap_SpansARangeWithDistinctTicksAndTheValueOnTheMiddleOne(double value)
    {
        var values = new double[,] { { value, value, value }, { value, value, value } };

        var scale = ColourScale.Of(values);

        scale.Min.Should().BeLessThan(value);
        scale.Max.Should().BeGreaterThan(value);
        scale.Ticks.Should().HaveCount(ColourScale.TickCount).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
        scale.Ticks[ColourScale.TickCount / 2].Should().Be(value);
        scale.Ticks[0].Should().Be(scale.Min);
        scale.Ticks[^1].Should().Be(scale.Max);
    }

    [Test]
    public void Of_PositiveConstant_RangeStaysAtOrAboveZero()
    {
        var scale = ColourScale.Of(new double[,] { { 0.25, 0.25 }, { 0.25, 0.25 } });

        scale.Min.Should().Be(0);
        scale.Max.Should().Be(0.5);
    }

    [Test]
    public void Of_VaryingMap_SpansItsFiniteMinimumToMaximum()
    {
        var scale = ColourScale.Of(new double[,] { { 1e-4, double.NaN }, { 3e-3, double.PositiveInfinity }, { 2e-3, 5e-4 } });

        scale.Min.Should().Be(1e-4);
        scale.Max.Should().Be(3e-3);
        scale.Ticks.Should().HaveCount(ColourScale.TickCount).And.BeInAscendingOrder();
    }

    [Test]
    public void Of_NoFiniteValue_GivesAUsableRange()
    {
        var scale = ColourScale.Of(new double[,] { { double.NaN, double.NaN }, { double.NaN, double.NaN } });

        scale.Max.Should().BeGreaterThan(scale.Min);
        scale.Ticks.Should().OnlyHaveUniqueItems();
    }
}
