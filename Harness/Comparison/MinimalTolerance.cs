namespace Harness.Comparison;

/// <summary>
/// The smallest tolerances that pass one element under the float64 check |d| ≤ atol + rtol·|e| exactly as the
/// comparer evaluates it. The algebraic answer (|d| − rtol·|e|, |d|/|e|) can be one rounding off, so it is nudged
/// to the float64 value where the check flips; since fl(atol + c) and fl(rtol·m) never decrease as atol or rtol grow,
/// the maximum of these per-element minima passes every element.
/// </summary>
internal static class MinimalTolerance
{
    public static double Atol(double absError, double magnitude, double rtol)
    {
        var atol = Math.Max(absError - (rtol * magnitude), 0);
        while (!(absError <= atol + (rtol * magnitude)))
        {
            atol = Math.BitIncrement(atol);
        }

        while (atol > 0 && absError <= Math.BitDecrement(atol) + (rtol * magnitude))
        {
            atol = Math.BitDecrement(atol);
        }

        return atol;
    }

    public static double Rtol(double absError, double magnitude)
    {
        var rtol = absError / magnitude;
        while (!(absError <= rtol * magnitude))
        {
            rtol = Math.BitIncrement(rtol);
        }

        while (rtol > 0 && absError <= Math.BitDecrement(rtol) * magnitude)
        {
            rtol = Math.BitDecrement(rtol);
        }

        return rtol;
    }
}
