using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// Units in the last place for the element types kernels work in: the distance between two values counted in
/// representable steps of a type, and the size of one step at a magnitude.
/// </summary>
public static class Ulp
{
    /// <summary>
    /// How many representable values of <paramref name="type"/> lie between a and b once both are rounded to it
    /// (0 when they round to the same value; +0 and −0 are the same value; ±infinity counts as one step past the
    /// largest finite value). Uses the ordered-integer view of the bit patterns, which handles subnormals for free.
    /// </summary>
    // Inlined: it runs per element in every comparison's sweep.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Distance(ElementType type, double a, double b)
    {
        ThrowIfNaN(a, b);
        var difference = Int128.Abs((Int128)OrderedBits(type, a) - OrderedBits(type, b));
        return difference > long.MaxValue ? long.MaxValue : (long)difference;
    }

    /// <summary><see cref="Distance"/> for fp16, the comparer's per-element case.</summary>
    // The ordered bits of fp16 (and fp32) values differ by less than 2^33, so these two need no 128-bit arithmetic,
    // and their sign is applied without a branch (the truth's signs are random, and a branch on them mispredicted).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DistanceFp16(double a, double b)
    {
        ThrowIfNaN(a, b);
        return Math.Abs(OrderedFp16Bits(a) - OrderedFp16Bits(b));
    }

    /// <summary>
    /// The largest <see cref="DistanceFp16"/> over the pairs where both values are finite, they differ, and
    /// |expected| ≥ <paramref name="floor"/> (0 when there is none): the comparer's ULP metric over one block.
    /// </summary>
    // Four pairs at a time where both values round to fp16 normals (nearly always), one at a time otherwise; a maximum
    // does not depend on the order, so this is exactly the one-at-a-time result. One pair at a time, it was more than
    // half of the comparer's sweep (a microbenchmark of 4M pairs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long MaxDistanceFp16(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double floor)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"ULP distances of {actual.Length} against {expected.Length} values");
        }

        long largest = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var largestLanes = Vector256<long>.Zero;
            var floorLanes = Vector256.Create(floor);
            var infinityBits = Vector256.Create(BitConverter.DoubleToUInt64Bits(double.PositiveInfinity));
            var normalSpan = Vector256.Create(HalfConversions.OverflowBits - HalfConversions.SmallestNormalBits);
            for (; i <= actual.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var x = Vector256.Create(actual.Slice(i, Vector256<double>.Count));
                var y = Vector256.Create(expected.Slice(i, Vector256<double>.Count));
                var xMagnitude = x.AsUInt64() & Vector256.Create(~HalfConversions.SignBit);
                var yMagnitude = y.AsUInt64() & Vector256.Create(~HalfConversions.SignBit);
                var counted = ~Vector256.Equals(x, y).AsUInt64()
                    & Vector256.GreaterThanOrEqual(Vector256.Abs(y), floorLanes).AsUInt64()
                    & Vector256.LessThan(xMagnitude, infinityBits) & Vector256.LessThan(yMagnitude, infinityBits);
                if (counted == Vector256<ulong>.Zero)
                {
                    continue;
                }

                var normal = Vector256.LessThan(xMagnitude - Vector256.Create(HalfConversions.SmallestNormalBits), normalSpan)
                    & Vector256.LessThan(yMagnitude - Vector256.Create(HalfConversions.SmallestNormalBits), normalSpan);
                if ((counted & ~normal) != Vector256<ulong>.Zero)
                {
                    largest = Math.Max(largest, MaxDistanceFp16OneByOne(actual.Slice(i, Vector256<double>.Count), expected.Slice(i, Vector256<double>.Count), floor));
                    continue;
                }

                var distance = Vector256.Abs(OrderedNormalFp16Bits(x.AsUInt64()) - OrderedNormalFp16Bits(y.AsUInt64()));
                largestLanes = Vector256.Max(largestLanes, distance & counted.AsInt64());
            }

            for (var lane = 0; lane < Vector256<long>.Count; lane++)
            {
                largest = Math.Max(largest, largestLanes[lane]);
            }
        }

        return Math.Max(largest, MaxDistanceFp16OneByOne(actual[i..], expected[i..], floor));
    }

    private static long MaxDistanceFp16OneByOne(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double floor)
    {
        long largest = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var x = actual[i];
            var y = expected[i];
            if (double.IsFinite(x) && double.IsFinite(y) && x != y && Math.Abs(y) >= floor)
            {
                largest = Math.Max(largest, DistanceFp16(x, y));
            }
        }

        return largest;
    }

    /// <summary><see cref="OrderedFp16Bits"/> of four values that all round to fp16 normals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> OrderedNormalFp16Bits(Vector256<ulong> bits)
    {
        var rounded = bits + Vector256.Create(HalfConversions.HalfUlpLessOne) + ((bits >> HalfConversions.DroppedBitCount) & Vector256<ulong>.One);
        var magnitude = ((rounded & Vector256.Create(~HalfConversions.SignBit)) >> HalfConversions.DroppedBitCount).AsInt64()
            - Vector256.Create(HalfConversions.NormalExponentRebias);
        var allOnesIfNegative = Vector256.ShiftRightArithmetic(bits.AsInt64(), 63);
        return (magnitude ^ allOnesIfNegative) - allOnesIfNegative;
    }

    /// <summary><see cref="Distance"/> for fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DistanceFp32(double a, double b)
    {
        ThrowIfNaN(a, b);
        return Math.Abs(OrderedFp32Bits(a) - OrderedFp32Bits(b));
    }

    /// <summary>
    /// The spacing of <paramref name="type"/>'s representable values in the binade holding |magnitude|: 2^(e − p + 1)
    /// for |magnitude| in [2^e, 2^(e+1)), the subnormal spacing below the smallest normal (and at 0), and the spacing
    /// of the top binade beyond the largest finite value.
    /// </summary>
    public static double SizeAt(ElementType type, double magnitude)
    {
        if (double.IsNaN(magnitude))
        {
            throw new ArgumentException("ULP size is undefined at NaN", nameof(magnitude));
        }

        var format = FormatOf(type);
        var m = Math.Abs(magnitude);
        var exponent = m == 0 ? format.MinExponent : Math.Clamp(Math.ILogB(m), format.MinExponent, format.MaxExponent);
        return Math.ScaleB(1.0, exponent - format.Precision + 1);
    }

    /// <summary>The smallest positive normal value of <paramref name="type"/>: below it relative precision decays.</summary>
    public static double SmallestNormal(ElementType type) => Math.ScaleB(1.0, FormatOf(type).MinExponent);

    // Invariant: for non-NaN x ≤ y after rounding to the type, OrderedBits(x) ≤ OrderedBits(y); adjacent representable
    // values differ by exactly 1; +0 and −0 both map to 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long OrderedBits(ElementType type, double value) => type switch
    {
        ElementType.Float16 => OrderedFp16Bits(value),
        ElementType.BFloat16 => WithSign((BitConverter.SingleToUInt32Bits((float)type.Round(value)) >> 16) & 0x7FFFL, value),
        ElementType.Float32 => OrderedFp32Bits(value),
        ElementType.Float64 => WithSign(BitConverter.DoubleToInt64Bits(value) & long.MaxValue, value),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    // Where value rounds to a normal fp16 value, its magnitude bits are read off the rounded float64 bits (HalfConversions'
    // rounding) instead of being packed into a Half and read back.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long OrderedFp16Bits(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var magnitude = HalfConversions.RoundsToNormal(bits)
            ? HalfConversions.NormalMagnitudeBits(bits)
            : BitConverter.HalfToUInt16Bits((Half)value) & 0x7FFFL;
        return WithSign(magnitude, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long OrderedFp32Bits(double value) => WithSign(BitConverter.SingleToUInt32Bits((float)value) & 0x7FFF_FFFFL, value);

    /// <summary>−magnitude when <paramref name="value"/>'s sign bit is set, else magnitude, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long WithSign(long magnitude, double value)
    {
        var allOnesIfNegative = BitConverter.DoubleToInt64Bits(value) >> 63;
        return (magnitude ^ allOnesIfNegative) - allOnesIfNegative;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThrowIfNaN(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            ThrowNaN(a, b);
        }
    }

    // Apart, so that the inlined check stays small.
    private static void ThrowNaN(double a, double b) => throw new ArgumentException($"ULP distance is undefined for NaN (got {a} and {b})");

    private static (int Precision, int MinExponent, int MaxExponent) FormatOf(ElementType type) => type switch
    {
        ElementType.Float16 => (11, -14, 15),
        ElementType.BFloat16 => (8, -126, 127),
        ElementType.Float32 => (24, -126, 127),
        ElementType.Float64 => (53, -1022, 1023),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
