using System.Runtime.CompilerServices;

namespace Harness.Model;

/// <summary>
/// Conversions between float64 values and fp16, with exactly the results of .NET's <see cref="Half"/> casts, made fast
/// for what a verification converts by the million (weights rounded to fp16, fp16 tensors sent to and from a kernel's
/// worker, written into and read out of libtorch): the library's casts cost 5–20 ns a value and took about a second
/// of the seed case's critical path.
/// </summary>
/// <remarks>
/// From 2^-14 up to fp16's largest finite value an fp16 value is a float64 whose lowest 42 significand bits are zero,
/// and rounding to nearest-even is integer arithmetic on the bits: add half an fp16 ulp less one, plus the lowest kept
/// bit (ties to even), then drop the 42 bits; a carry moves into the exponent exactly when the significand rounds up to
/// the next binade. Everything else (zero, subnormals, overflow, infinities, NaN) takes the library's cast.
/// </remarks>
public static class HalfConversions
{
    // The bits of the rounding on the float64 pattern, shared with the fp16-accumulation emulator (Fp16RoundingKernel).
    internal const int DroppedBitCount = 42;
    internal const ulong DroppedBits = (1UL << DroppedBitCount) - 1;
    internal const ulong HalfUlpLessOne = (1UL << (DroppedBitCount - 1)) - 1;
    internal const ulong SignBit = 1UL << 63;
    private const int ExponentBiasDifference = 1023 - 15;

    // Bit patterns as constants, not static readonly fields: a caller compiled optimised at once (AggressiveOptimization)
    // before this class is initialised checks the initialisation at every read, which made rounding a layer's weights
    // several times slower. A wrong one fails HalfConversionsTests' edge values (2^-14, 65520 and their neighbours).

    /// <summary>The bits of 2^-14, fp16's smallest normal; below it fp16 values are subnormal.</summary>
    internal const ulong SmallestNormalBits = 0x3F10_0000_0000_0000;

    /// <summary>The bits of 65520: half way from 65504 to 65536; from there on nearest-even overflows to infinity.</summary>
    internal const ulong OverflowBits = 0x40EF_FE00_0000_0000;

    // Every fp16 bit pattern widened: 512 KB, read instead of converting.
    private static readonly double[] Widened = BuildWidened();

    /// <summary>The fp16 value nearest to <paramref name="x"/> (ties to even), as a float64: <c>(double)(Half)x</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Round(double x)
    {
        var bits = BitConverter.DoubleToUInt64Bits(x);
        return RoundsToNormal(bits) ? BitConverter.UInt64BitsToDouble(RoundedBits(bits)) : (double)(Half)x;
    }

    /// <summary><c>(Half)x</c>: the fp16 value nearest to <paramref name="x"/> (ties to even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Half ToHalf(double x)
    {
        var bits = BitConverter.DoubleToUInt64Bits(x);
        if (!RoundsToNormal(bits))
        {
            return (Half)x;
        }

        var sign = (bits >> 48) & 0x8000;
        return BitConverter.UInt16BitsToHalf((ushort)((long)sign | NormalMagnitudeBits(bits)));
    }

    /// <summary><c>(double)h</c>, read from a table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(Half h) => Widened[BitConverter.HalfToUInt16Bits(h)];

    /// <summary>Every value of <paramref name="source"/> widened into <paramref name="target"/> (<see cref="ToDouble"/>).</summary>
    // Optimised at once: one call per tensor, millions of values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToDoubles(ReadOnlySpan<Half> source, Span<double> target)
    {
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = ToDouble(source[i]);
        }
    }

    /// <summary>
    /// The fp16 bits of |x| (exponent and significand, no sign) for the bits of an x that <see cref="RoundsToNormal"/>:
    /// the rounded float64's exponent and top ten significand bits, rebiased.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long NormalMagnitudeBits(ulong bits) =>
        (long)((RoundedBits(bits) & ~SignBit) >> DroppedBitCount) - NormalExponentRebias;

    /// <summary>What <see cref="NormalMagnitudeBits"/> subtracts from the rounded float64's top bits: the exponent biases' difference, in place.</summary>
    internal const long NormalExponentRebias = (long)ExponentBiasDifference << 10;

    // From 2^-14 up to 65520 (exclusive) the nearest fp16 value is a normal one, at most 65504.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool RoundsToNormal(ulong bits)
    {
        var magnitude = bits & ~SignBit;
        return magnitude >= SmallestNormalBits && magnitude < OverflowBits;
    }

    /// <summary>Nearest-even rounding of a normal's bits to fp16's 11 significant bits (the carry may enter the exponent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong RoundedBits(ulong bits) => (bits + HalfUlpLessOne + ((bits >> DroppedBitCount) & 1)) & ~DroppedBits;

    private static double[] BuildWidened()
    {
        var table = new double[1 << 16];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (double)BitConverter.UInt16BitsToHalf((ushort)i);
        }

        return table;
    }
}
