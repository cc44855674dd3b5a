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

    [Test]
    public void DistanceFp16_ValuesAcrossEveryBinade_MatchesTheLibraryCast()
    {
        var random = new Random(16);
        for (var n = 0; n < 200_000; n++)
        {
            var (x, y) = (AnyValue(random), AnyValue(random));
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                continue;
            }

            Ulp.DistanceFp16(x, y).Should().Be(ReferenceDistanceFp16(x, y), $"for {x:R} and {y:R}");
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(7)]
    [TestCase(1027)]
    public void MaxDistanceFp16_RandomPairsWithEdgeValues_IsTheLargestCountedDistance(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 200; trial++)
        {
            var actual = new double[length];
            var expected = new double[length];
            for (var i = 0; i < length; i++)
            {
                expected[i] = AnyValue(random);
                actual[i] = random.Next(4) == 0 ? AnyValue(random) : expected[i] * (1 + (random.NextDouble() - 0.5) * 1e-2);
            }

            var floor = random.Next(3) == 0 ? 0 : Math.ScaleB(1, random.Next(-20, 4));
            Ulp.MaxDistanceFp16(actual, expected, floor).Should().Be(ReferenceMaxDistanceFp16(actual, expected, floor));
        }
    }

    [Test]
    public void MaxDistanceFp16_LargestInTheTailOrBesideASubnormal_IsFound()
    {
        double[] expected = [1, 1, 1, 1, 1e-6, 2, 2, 2, 8];
        double[] actual = [1, 1.001, 1, 1, 3e-6, 2, 2.01, 2, 16];
        Ulp.MaxDistanceFp16(actual, expected, 0).Should().Be(0x4C00 - 0x4800, "8 to 16 is one binade of 1024 steps, in the scalar tail");
        Ulp.MaxDistanceFp16(actual.AsSpan(0, 8), expected.AsSpan(0, 8), 0).Should().Be(ReferenceDistanceFp16(3e-6, 1e-6), "the subnormal pair's block is taken one pair at a time");
        Ulp.MaxDistanceFp16(actual.AsSpan(0, 8), expected.AsSpan(0, 8), 1e-3).Should().Be(ReferenceDistanceFp16(2.01, 2), "the subnormal pair is below the floor");
    }

    [Test]
    public void MaxDistanceFp16_EqualNonFiniteOrBelowTheFloor_CountsNothing()
    {
        double[] expected = [1, double.NaN, double.PositiveInfinity, 1e-3, -0.0];
        double[] actual = [1, 1, 1, 2e-3, 0.0];
        Ulp.MaxDistanceFp16(actual, expected, 1e-2).Should().Be(0);
    }

    // The ordered-integer view of .NET's own fp16 cast: independent of the harness's rounding on the float64 bits.
    private static long ReferenceDistanceFp16(double x, double y) => Math.Abs(ReferenceOrderedFp16(x) - ReferenceOrderedFp16(y));

    private static long ReferenceOrderedFp16(double x)
    {
        var bits = BitConverter.HalfToUInt16Bits((Half)x);
        long magnitude = bits & 0x7FFF;
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    private static long ReferenceMaxDistanceFp16(double[] actual, double[] expected, double floor)
    {
        long largest = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsFinite(actual[i]) && double.IsFinite(expected[i]) && actual[i] != expected[i] && Math.Abs(expected[i]) >= floor)
            {
                largest = Math.Max(largest, ReferenceDistanceFp16(actual[i], expected[i]));
            }
        }

        return largest;
    }

    // Normals of every fp16 binade and beyond, subnormals, zeros of both signs, the overflow boundary (65504, 65520 and
    // their float64 neighbours), infinities and now and then a NaN.
    private static double AnyValue(Random random)
    {
        var sign = random.Next(2) == 0 ? 1.0 : -1.0;
        return random.Next(12) switch
        {
            0 => sign * 0.0,
            1 => sign * Math.ScaleB(random.Next(1, 1024), -24),
            2 => sign * random.Next(5) switch
            {
                0 => 65504,
                1 => 65520,
                2 => Math.BitDecrement(65520.0),
                3 => Math.BitIncrement(65520.0),
                _ => double.PositiveInfinity,
            },
            3 => random.Next(8) == 0 ? double.NaN : sign * Math.ScaleB(1 + random.NextDouble(), random.Next(-30, 20)),
            4 => sign * Math.ScaleB(1 + random.NextDouble(), -15),
            _ => sign * Math.ScaleB(1 + random.NextDouble(), random.Next(-14, 16)),
        };
    }
}
