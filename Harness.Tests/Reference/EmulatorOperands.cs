
namespace Harness.Tests.Reference;

/// <summary>Kinds of random GEMM operands for the emulator tests, each aimed at one part of the fp16 accumulator.</summary>
public enum OperandKind
{
    /// <summary>fp16 values over many binades (2^-12 to 2^3), with zeros: the common case.</summary>
    Fp16,

    /// <summary>Arbitrary float64 values: group sums round in float64, so only the same order of operations agrees.</summary>
    ArbitraryDoubles,

    /// <summary>fp16 values of 64 to 256: products of 4k to 65k, so the accumulator overflows (rn) or saturates (rz).</summary>
    Overflowing,

    /// <summary>fp16 values of 2^-10 to 2^-6: products and sums in fp16's subnormal range.</summary>
    Subnormal,
}

/// <summary>Random operands of an <see cref="OperandKind"/> and the bit-exact comparison of results.</summary>
internal static class EmulatorOperands
{
    public static double[] Random(OperandKind kind, int count, int seed)
    {
        var rng = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sign = rng.Next(2) == 0 ? 1.0 : -1.0;
            values[i] = kind switch
            {
                OperandKind.Fp16 => rng.Next(10) == 0 ? 0.0 : (double)(Half)(sign * (1.0 + rng.NextDouble()) * Math.Pow(2, rng.Next(-12, 3))),
                OperandKind.ArbitraryDoubles => sign * rng.NextDouble() * 3.0,
                OperandKind.Overflowing => (double)(Half)(sign * (64.0 + (rng.NextDouble() * 192.0))),
                OperandKind.Subnormal => (double)(Half)(sign * (1.0 + rng.NextDouble()) * Math.Pow(2, rng.Next(-10, -6))),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
        }

        return values;
    }

    /// <summary>Positions where the two arrays differ bit for bit (any NaN matches any NaN), as readable lines.</summary>
    public static List<string> BitDifferences(double[] actual, double[] expected)
    {
        var differences = new List<string>();
        for (var i = 0; i < Math.Min(actual.Length, expected.Length); i++)
        {
            var same = double.IsNaN(actual[i]) ? double.IsNaN(expected[i]) : BitConverter.DoubleToInt64Bits(actual[i]) == BitConverter.DoubleToInt64Bits(expected[i]);
            if (!same)
            {
                differences.Add($"[{i}] {actual[i]:R} vs {expected[i]:R}");
            }
        }

        if (actual.Length != expected.Length)
        {
            differences.Add($"lengths {actual.Length} vs {expected.Length}");
        }

        return differences;
    }

    public static string Describe(int rows, int depth, int columns, int groupSize, AccumulationRounding rounding, OperandKind kind) =>
        $"[{rows}, {depth}]·[{depth}, {columns}] k={groupSize} {rounding} {kind}";
}
