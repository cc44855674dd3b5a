using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class UlpTests
{
    private static readonly double SmallestSubnormalFp16 = Math.ScaleB(1, -24);
    private static readonly double SmallestNormalFp16 = Math.ScaleB(1, -14);

    [Test]
    public void DistanceFp16_PositiveAndNegativeZero_IsZero()
    {
        Ulp.DistanceFp16(0.0, -0.0).Should().Be(0);
    }

    [Test]
    public void DistanceFp16_AcrossZero_CountsStepsOnBothSides()
    {
        Ulp.DistanceFp16(SmallestSubnormalFp16, -SmallestSubnormalFp16).Should().Be(2);
        Ulp.DistanceFp16(0, -SmallestSubnormalFp16).Should().Be(1);
        Ulp.DistanceFp16(1, -1).Should().Be(2 * 0x3C00, "1.0 is fp16 bit pattern 0x3C00, that many steps above zero");
    }

    [Test]
    public void DistanceFp16_LargestSubnormalToSmallestNormal_IsOne()
    {
        Ulp.DistanceFp16(SmallestNormalFp16 - SmallestSubnormalFp16, SmallestNormalFp16).Should().Be(1);
    }

    [Test]
    public void DistanceFp16_BetweenSubnormals_CountsSubnormalSteps()
    {
        Ulp.DistanceFp16(3 * SmallestSubnormalFp16, 10 * SmallestSubnormalFp16).Should().Be(7);
    }

    [Test]
    public void DistanceFp16_AtTheTopOfTheRange_CountsInfinityAsOneStepPastMax()
    {
        Ulp.DistanceFp16(65504, 65472).Should().Be(1);
        Ulp.DistanceFp16(65504, double.PositiveInfinity).Should().Be(1);
        Ulp.DistanceFp16(-65504, double.NegativeInfinity).Should().Be(1);
    }

    [Test]
    public void DistanceFp16_ValuesRoundingToTheSameHalf_IsZero()
    {
        Ulp.DistanceFp16(1, 1 + Math.ScaleB(1, -12)).Should().Be(0);
    }

    [Test]
    public void DistanceFp32_AdjacentFloats_IsOne()
    {
        Ulp.DistanceFp32(1f, MathF.BitIncrement(1f)).Should().Be(1);
        Ulp.DistanceFp32(float.Epsilon, -float.Epsilon).Should().Be(2);
    }

    [Test]
    public void DistanceBf16_AdjacentValues_IsOne()
    {
        Ulp.Distance(ElementType.BFloat16, 1, 1 + Math.ScaleB(1, -7)).Should().Be(1);
    }

    [Test]
    public void Distance_NaN_ThrowsNamingNaN()
    {
        var act = () => Ulp.DistanceFp16(double.NaN, 1);

        act.Should().Throw<ArgumentException>().WithMessage("*NaN*");
    }

    [TestCase(ElementType.Float16, 1.0, -10)]
    [TestCase(ElementType.Float16, 1.999, -10)]
    [TestCase(ElementType.Float16, 2.0, -9)]
    [TestCase(ElementType.Float16, -3.0, -9)]
    [TestCase(ElementType.Float16, 0.0, -24)]
    [TestCase(ElementType.Float16, 1e-5, -24)]
    [TestCase(ElementType.Float16, 65504.0, 5)]
    [TestCase(ElementType.Float16, 1e6, 5)]
    [TestCase(ElementType.BFloat16, 1.0, -7)]
    [TestCase(ElementType.Float32, 1.0, -23)]
    [TestCase(ElementType.Float32, 0.0, -149)]
    [TestCase(ElementType.Float64, 1.0, -52)]
    public void SizeAt_Magnitude_IsTheSpacingOfThatBinade(ElementType type, double magnitude, int log2Expected)
    {
        Ulp.SizeAt(type, magnitude).Should().Be(Math.ScaleB(1, log2Expected));
    }

    [TestCase(1.0)]
    [TestCase(0.3330078125)]
    [TestCase(5.9604644775390625e-8)]
    [TestCase(3.0517578125e-5)]
    [TestCase(1024.0)]
    public void SizeAt_Fp16Value_AddingItReachesTheNextValue(double value)
    {
        Ulp.DistanceFp16(value, value + Ulp.SizeAt(ElementType.Float16, value)).Should().Be(1);
    }
}
