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

        // x = m·2^e with 0.5 <= |m| < 1, so fp16 (11 significant bits) spaces its values by 2^(e−11) there, and by
        // 2^-24 below 2^-14 (subnormals).
        var (_, e) = frexp(x);
        var ulpExponent = (e.to_type(ScalarType.Float64) - 11).clamp_min_(-24);
        var ulp = exp2(ulpExponent);
        var q = x / ulp;
        var y = (rounding == AccumulationRounding.NearestEven ? q.round_() : q.trunc_()).mul_(ulp);

        var tooLarge = y.abs().gt(MaxFinite);
        y = rounding == AccumulationRounding.NearestEven
            ? where(tooLarge, x.sign() * double.PositiveInfinity, y)
            : where(tooLarge, x.sign() * MaxFinite, y);
        y = where(x.isfinite(), y, x);
        return y.to_type(t.dtype).MoveToOuterDisposeScope();
    }
}
