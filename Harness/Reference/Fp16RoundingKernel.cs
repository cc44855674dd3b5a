using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Harness.Model;

namespace Harness.Reference;

/// <summary>
/// Rounding of float64 values to fp16 values, on the bits, one value or one vector at a time: the inner step of
/// <see cref="Fp16Rounding"/> and of the fp16 accumulator in <see cref="GroupedFp16Gemm"/>.
/// </summary>
/// <remarks>
/// fp16 keeps 11 significant bits from 2^-14 up (a float64 keeps 53, so 42 bits are dropped), and a fixed spacing of
/// 2^-24 below 2^-14 (subnormals). Above 2^-14 the rounding is integer arithmetic on the float64 bit pattern: adding
/// half an fp16 ulp (less one, plus the kept lowest bit, for ties to even) to the magnitude bits carries into the
/// exponent exactly when the significand rounds up to the next binade, and masking then drops the 42 bits. Below 2^-14,
/// x·2^24 is exact and rounding it to an integer is the fp16 rounding; the sign of zero is kept in both paths.
/// Nearest-even overflows to ±inf past 65520 (rounded magnitude above 65504); toward zero saturates at ±65504 for
/// finite inputs. NaN and ±inf pass through.
/// </remarks>
internal static class Fp16RoundingKernel
{
    private const ulong DroppedBits = HalfConversions.DroppedBits;
    private const ulong HalfUlpLessOne = HalfConversions.HalfUlpLessOne;
    private const ulong SignBit = HalfConversions.SignBit;
    private const int DroppedBitCount = HalfConversions.DroppedBitCount;
    private const double SmallestNormal = 1.0 / (1 << 14);
    private const double SubnormalScale = 1 << 24;
    private const double SubnormalUlp = 1.0 / (1 << 24);
    private const ulong SmallestNormalBits = HalfConversions.SmallestNormalBits;
    private static readonly ulong MaxFiniteBits = BitConverter.DoubleToUInt64Bits(Fp16Rounding.MaxFinite);

    /// <summary>One value rounded to fp16 (returned as a float64).</summary>
    // Optimised at once: called per element from a sweep, it ran as unoptimised (tier-0) code for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Round(double x, AccumulationRounding rounding)
    {
        var magnitude = Math.Abs(x);
        if (double.IsNaN(x))
        {
            return x;
        }

        double y;
        if (magnitude < SmallestNormal)
        {
            var scaled = x * SubnormalScale;
            y = (rounding == AccumulationRounding.NearestEven ? Math.Round(scaled, MidpointRounding.ToEven) : Math.Truncate(scaled)) * SubnormalUlp;
        }
        else
        {
            var bits = BitConverter.DoubleToUInt64Bits(x);
            bits = rounding == AccumulationRounding.NearestEven
                ? HalfConversions.RoundedBits(bits)
                : bits & ~DroppedBits;
            y = BitConverter.UInt64BitsToDouble(bits);
        }

        if (Math.Abs(y) <= Fp16Rounding.MaxFinite || double.IsInfinity(x))
        {
            return y;
        }

        return Math.CopySign(rounding == AccumulationRounding.NearestEven ? double.PositiveInfinity : Fp16Rounding.MaxFinite, x);
    }

    /// <summary>Four values rounded to fp16 exactly as <see cref="Round(double, AccumulationRounding)"/> does each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Round(Vector256<double> x, AccumulationRounding rounding)
    {
        var bits = x.AsUInt64();

        // The common case first: every lane zero or a normal below 65504, where the integer path alone is the rounding
        // (it keeps ±0, and cannot carry past 65504). Zero's offset wraps around and is tested apart.
        var offset = NormalOffset(x);
        var inRange = Vector256.LessThan(offset, Vector256.Create(MaxFiniteBits - SmallestNormalBits))
            | Vector256.Equals(offset, Vector256.Create(unchecked(0UL - SmallestNormalBits)));
        if (inRange == Vector256<ulong>.AllBitsSet)
        {
            return RoundNormal(x, rounding);
        }

        var scaled = x * Vector256.Create(SubnormalScale);
        var subnormal = (rounding == AccumulationRounding.NearestEven ? Vector256.Round(scaled) : Vector256.Truncate(scaled)) * Vector256.Create(SubnormalUlp);
        var y = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(SmallestNormal)), subnormal, RoundNormal(x, rounding));

        var sign = bits & Vector256.Create(SignBit);
        var tooLarge = Vector256.GreaterThan(Vector256.Abs(y), Vector256.Create(Fp16Rounding.MaxFinite));
        var overflowed = rounding == AccumulationRounding.NearestEven
            ? (sign | Vector256.Create(double.PositiveInfinity).AsUInt64()).AsDouble()
            : (sign | Vector256.Create(Fp16Rounding.MaxFinite).AsUInt64()).AsDouble();

        // Infinite inputs are "too large" too; they stay themselves (the integer path leaves ±inf unchanged, and toward
        // zero must not saturate them). NaN takes the integer path, which could turn a payload into inf: pass it through.
        var finite = Vector256.LessThan(Vector256.Abs(x), Vector256.Create(double.PositiveInfinity));
        y = Vector256.ConditionalSelect(tooLarge & finite, overflowed, y);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    /// <summary>
    /// How far |x| lies above the smallest fp16 normal, on the magnitude bits, unsigned: zero and subnormals wrap to
    /// the top of the range. The largest offset of several vectors tells at once whether all are normals
    /// (<see cref="AllNormal"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> NormalOffset(Vector256<double> x) =>
        (x.AsUInt64() & Vector256.Create(~SignBit)) - Vector256.Create(SmallestNormalBits);

    /// <summary>True when every lane of <paramref name="largestOffset"/> (a <see cref="NormalOffset"/>, or the lane-wise maximum of several) is that of a normal below 65504.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllNormal(Vector256<ulong> largestOffset) =>
        Vector256.LessThanAll(largestOffset, Vector256.Create(MaxFiniteBits - SmallestNormalBits));

    /// <summary>The rounding of a vector of normals below 65504 (zeros too): the integer path alone, which cannot carry past 65504.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> RoundNormal(Vector256<double> x, AccumulationRounding rounding)
    {
        var bits = x.AsUInt64();
        return rounding == AccumulationRounding.NearestEven
            ? ((bits + Vector256.Create(HalfUlpLessOne) + (Vector256.ShiftRightLogical(bits, DroppedBitCount) & Vector256<ulong>.One)) & Vector256.Create(~DroppedBits)).AsDouble()
            : (bits & Vector256.Create(~DroppedBits)).AsDouble();
    }

    /// <summary>Rounds every value of <paramref name="values"/> to fp16 in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RoundInPlace(Span<double> values, AccumulationRounding rounding)
    {
        var vectors = MemoryMarshal.Cast<double, Vector256<double>>(values);
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Round(vectors[i], rounding);
        }

        for (var i = vectors.Length * Vector256<double>.Count; i < values.Length; i++)
        {
            values[i] = Round(values[i], rounding);
        }
    }
}
