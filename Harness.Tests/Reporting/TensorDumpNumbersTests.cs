using Harness.Reporting;

namespace Harness.Tests.Reporting;

public sealed class TensorDumpNumbersTests
{
    [TestCase(100.0 / 2000, "0.05%")]
    [TestCase(100.0 / 1_769_472, "0.000057%")]
    [TestCase(100.0 * 1999 / 2000, "99.95%")]
    [TestCase(100.0 * 1_769_471 / 1_769_472, "99.999943%")]
    [TestCase(37.5, "37.5%")]
    [TestCase(12.0, "12%")]
    [TestCase(0.0, "0%")]
    [TestCase(100.0, "100%")]
    public void Percent_Value_ShowsEnoughDigitsForOneElement(double percent, string expected)
    {
        TensorDumpNumbers.Percent(percent).Should().Be(expected);
    }

    [TestCase(0.1, "0.1")]
    [TestCase(1.0 / 3, "0.333333")]
    [TestCase(-65504.0, "-65504")]
    [TestCase(1e-7, "1E-07")]
    [TestCase(double.NaN, "nan")]
    [TestCase(double.PositiveInfinity, "inf")]
    [TestCase(double.NegativeInfinity, "-inf")]
    public void Number_Value_PrintsG6Invariantly(double value, string expected)
    {
        TensorDumpNumbers.Number(value).Should().Be(expected);
    }

    [TestCase(0.37, "0.37")]
    [TestCase(0.0041, "0.0041")]
    [TestCase(1.0, "1.0×")]
    [TestCase(4.24, "4.2×")]
    [TestCase(double.PositiveInfinity, "inf×")]
    [TestCase(double.NaN, "n/a")]
    public void Fraction_BudgetUse_PrintsAFractionOrAMultiple(double used, string expected)
    {
        TensorDumpNumbers.Fraction(used).Should().Be(expected);
    }
}
