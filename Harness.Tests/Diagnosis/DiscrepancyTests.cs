using Harness.Diagnosis;

namespace Harness.Tests.Diagnosis;

public class DiscrepancyTests
{
    private static HostTensor T(params double[] v) => new([v.Length], v, ElementType.Float64);

    [Test]
    public void Between_FiniteValues_MeasuresMaxAbsAndRmse()
    {
        var d = Discrepancy.Between(T(1, 2, 3, 4), T(1, 2, 3, 6));

        d.MaxAbs.Should().Be(2);
        d.Rmse.Should().Be(1);
        d.IsFinite.Should().BeTrue();
    }

    [Test]
    public void Between_CoincidingNaNAndInfinity_AreNotMismatches()
    {
        var d = Discrepancy.Between(T(double.NaN, double.PositiveInfinity, 1), T(double.NaN, double.PositiveInfinity, 1));

        d.NonFiniteMismatches.Should().Be(0);
    }

    [Test]
    public void Between_NaNAgainstNumber_IsANonFiniteMismatch()
    {
        var d = Discrepancy.Between(T(double.NaN, 1, double.NegativeInfinity), T(0, 1, double.PositiveInfinity));

        d.NonFiniteMismatches.Should().Be(2);
        d.IsFinite.Should().BeFalse();
    }

    [Test]
    public void Between_DifferentShapes_ThrowsNamingBoth()
    {
        var act = () => Discrepancy.Between(T(1, 2), T(1, 2, 3));

        act.Should().Throw<ArgumentException>().WithMessage("*[2]*[3]*");
    }

    [Test]
    public void FractionRemovedFrom_HalfTheRmse_IsOneHalf() =>
        new Discrepancy(1, 0.5, 0).FractionRemovedFrom(new Discrepancy(2, 1, 0)).Should().Be(0.5);

    [Test]
    public void FractionRemovedFrom_BaselineWithoutError_IsZero() =>
        new Discrepancy(1, 1, 0).FractionRemovedFrom(new Discrepancy(0, 0, 0)).Should().Be(0);

    [Test]
    public void FractionRemovedFrom_NewNonFiniteMismatches_IsMinusOne() =>
        new Discrepancy(0, 0, 3).FractionRemovedFrom(new Discrepancy(1, 1, 0)).Should().Be(-1);

    [Test]
    public void FractionRemovedFrom_RemovesAllNonFiniteMismatches_IsOne() =>
        new Discrepancy(0.1, 0.1, 0).FractionRemovedFrom(new Discrepancy(0, 0, 4)).Should().Be(1);
}
