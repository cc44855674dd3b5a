namespace Harness.Tests.Foundation;

/// <summary>HalfConversions against .NET's Half casts (the oracle), bit for bit: binade edges, ties, subnormals, overflow, signed zeros, non-finite values and random doubles.</summary>
public sealed class HalfConversionsTests
{
    private static readonly double Ulp1 = Math.Pow(2, -10);
    private static readonly double Sub = Math.Pow(2, -24);

    private static readonly double[] Edges =
    [
        1.0, 1.0 + (0.5 * Ulp1), 1.0 + (1.5 * Ulp1), -(1.0 + (1.5 * Ulp1)), 2.0 - (0.25 * Ulp1), 2.0 - (0.5 * Ulp1),
        Math.Pow(2, -14), -Math.Pow(2, -14), Math.Pow(2, -14) - (0.5 * Sub), Math.BitDecrement(Math.Pow(2, -14)),
        2.5 * Sub, 3.5 * Sub, -0.75 * Sub, 0.5 * Sub, Sub,
        65504.0, -65504.0, Math.BitIncrement(65504.0), 65519.99, Math.BitDecrement(65520.0), 65520.0, -65520.0, 65536.0, 1e300, -1e300,
        0.0, -0.0, double.Epsilon, -double.Epsilon,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.UInt64BitsToDouble(0x7FF0_0000_0000_0001),
    ];

    private static IEnumerable<double> Values()
    {
        var rng = new Random(13);
        var random = Enumerable.Range(0, 20_000).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 20)));

        // fp16 values themselves (every bit pattern), and each nudged by one float64 ulp either way.
        var halves = Enumerable.Range(0, 1 << 16).Select(i => (double)BitConverter.UInt16BitsToHalf((ushort)i)).ToList();
        return Edges.Concat(random).Concat(halves).Concat(halves.Select(Math.BitIncrement)).Concat(halves.Select(Math.BitDecrement));
    }

    [Test]
    public void Round_EdgesRandomAndNudgedFp16Values_MatchesHalfCastBitForBit()
    {
        var mismatches = Values()
            .Where(x => BitConverter.DoubleToUInt64Bits(HalfConversions.Round(x)) != BitConverter.DoubleToUInt64Bits((double)(Half)x))
            .Take(5)
            .ToList();

        mismatches.Should().BeEmpty();
    }

    [Test]
    public void ToHalf_EdgesRandomAndNudgedFp16Values_MatchesHalfCastBitForBit()
    {
        var mismatches = Values()
            .Where(x => BitConverter.HalfToUInt16Bits(HalfConversions.ToHalf(x)) != BitConverter.HalfToUInt16Bits((Half)x))
            .Take(5)
            .ToList();

        mismatches.Should().BeEmpty();
    }

    [Test]
    public void ToDouble_EveryFp16BitPattern_MatchesHalfCastBitForBit()
    {
        var mismatches = Enumerable.Range(0, 1 << 16)
            .Select(i => BitConverter.UInt16BitsToHalf((ushort)i))
            .Where(h => BitConverter.DoubleToUInt64Bits(HalfConversions.ToDouble(h)) != BitConverter.DoubleToUInt64Bits((double)h))
            .Take(5)
            .ToList();

        mismatches.Should().BeEmpty();
    }

    [Test]
    public void Round_TieBetweenTwoFp16Values_GoesToTheEvenOne()
    {
        HalfConversions.Round(1.0 + (0.5 * Ulp1)).Should().Be(1.0);
        HalfConversions.Round(1.0 + (1.5 * Ulp1)).Should().Be(1.0 + (2 * Ulp1));
        HalfConversions.Round(65520.0).Should().Be(double.PositiveInfinity);
    }
}
