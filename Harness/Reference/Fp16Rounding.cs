using Harness.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// Rounding of float64/float32 tensors to fp16 values, done arithmetically rather than by a dtype cast: torch converts
/// float64 to float16 through float32, a double rounding that can land one ulp off; this is exact in both modes.
/// </summary>
public static class Fp16Rounding
{
    /// <summary>Largest finite fp16 value.</summary>
    public const double MaxFinite = 65504.0;

    /// <summary>
    /// Rounds every element to an fp16 value (returned in the input's dtype). Nearest-even overflows to ±inf past
    /// 65520; toward-zero saturates at ±65504 for finite inputs. NaN and ±inf pass through.
    /// </summary>
    public static Tensor Round(Tensor t, AccumulationRounding rounding = AccumulationRounding.NearestEven)
    {
        using var scope = NewDisposeScope();
        var x = t.to_type(ScalarType.Float64);
        var a = x.abs();

        // Invariant: 2^e <= |x| < 2^(e+1) for finite non-zero x; the two fix-ups guard log2 rounding across a power of two.
        var e = a.log2().floor();
        e = where(exp2(e).gt(a), e - 1, e);
        e = where(exp2(e + 1).le(a), e + 1, e);

        // fp16 has 10 fraction bits; below 2^-14 the spacing stays 2^-24 (subnormals).
        var ulp = exp2(e.clamp_min(-14) - 10);
        var q = x / ulp;
        var r = rounding == AccumulationRounding.NearestEven ? q.round() : q.trunc();
        var y = r * ulp;

        var tooLarge = y.abs().gt(MaxFinite);
        y = rounding == AccumulationRounding.NearestEven
            ? where(tooLarge, x.sign() * double.PositiveInfinity, y)
            : where(tooLarge, x.sign() * MaxFinite, y);
        y = where(x.isfinite(), y, x);
        return y.to_type(t.dtype).MoveToOuterDisposeScope();
    }
}
