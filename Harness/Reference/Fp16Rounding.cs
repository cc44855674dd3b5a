using System.Runtime.InteropServices;
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
        ArgumentNullException.ThrowIfNull(t);
        using var scope = NewDisposeScope();

        // A private contiguous float64 copy on the CPU (widening is exact), rounded in place on its bits.
        var x = t.to_type(ScalarType.Float64).cpu().contiguous().clone();
        Fp16RoundingKernel.RoundInPlace(MemoryMarshal.Cast<byte, double>(x.bytes), rounding);
        return x.to(t.dtype, t.device).MoveToOuterDisposeScope();
    }
}
