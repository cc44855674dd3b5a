using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>
/// Tolerances of the reference-free checks, derived from the dtype of the tensor checked. u is the unit roundoff
/// (half an ulp at 1): 2⁻¹¹ for float16, 2⁻⁸ for bfloat16, 2⁻²⁴ for float32, 2⁻⁵³ for float64. Every tolerance is
/// multiplied by <see cref="InvariantContext.ToleranceScale"/>.
/// </summary>
public static class InvariantTolerances
{
    /// <summary>Unit roundoff of fp32, the width of every accumulator buffer (softmax and LayerNorm sums).</summary>
    public const double Float32UnitRoundoff = 1.0 / (1 << 24);

    public static double UnitRoundoff(ElementType t) => t switch
    {
        ElementType.Float16 => Math.ScaleB(1, -11),
        ElementType.BFloat16 => Math.ScaleB(1, -8),
        ElementType.Float32 => Math.ScaleB(1, -24),
        _ => Math.ScaleB(1, -53),
    };

    /// <summary>Half the spacing of the subnormals: the absolute rounding error of a probability too small to be normal.</summary>
    public static double SubnormalHalfSpacing(ElementType t) => t switch
    {
        ElementType.Float16 => Math.ScaleB(1, -25),
        ElementType.BFloat16 => Math.ScaleB(1, -134),
        ElementType.Float32 => Math.ScaleB(1, -150),
        _ => 0,
    };

    /// <summary>
    /// |Σ p − 1| for one probability row of <paramref name="keys"/> entries: each stored probability is rounded once
    /// (relative error ≤ u, so the row sum moves by ≤ u; 4u leaves room for the normalising division), the row sum the
    /// kernel divided by was accumulated in fp32 or wider (≤ 2·S·2⁻²⁴), and subnormal probabilities carry an absolute
    /// error of half the subnormal spacing each. float16, S = 384: about 2.0e-3.
    /// </summary>
    public static double ProbabilityRowSum(ElementType t, int keys) =>
        4 * UnitRoundoff(t) + 2 * keys * Float32UnitRoundoff + keys * SubnormalHalfSpacing(t);

    /// <summary>
    /// |mean z| of a normalised row z = (y − β)/γ. The stored y carries a relative error ≤ u, which becomes an error of
    /// u·|z + β/γ| in z; 32u·(1 + max|β/γ|) bounds the mean of such errors with room for the normalisation's own
    /// rounding (fp16 mean and 1/std in Souffle). float16 with β = 0: 1.6e-2.
    /// </summary>
    public static double LayerNormMean(ElementType t, double maxBetaOverGamma) => 32 * UnitRoundoff(t) * (1 + maxBetaOverGamma);

    /// <summary>|var z − expected| of a normalised row: twice the mean's allowance (the variance doubles relative errors).</summary>
    public static double LayerNormVariance(ElementType t, double maxBetaOverGamma) => 64 * UnitRoundoff(t) * (1 + maxBetaOverGamma);

    /// <summary>
    /// |Σx (buffer) − Σx (recomputed)| for a row of M values: fp32 accumulation in any order (≤ M·2⁻²⁴·Σ|x|) plus the
    /// kernel forming x with one more rounding than the recomputation (≤ 2u_x·Σ|x|, u_x = 0 when the recomputation rounds
    /// x as the kernel does). Σx² uses 4u_x for the square.
    /// </summary>
    public static double SumOfRow(ElementType xType, int model, double sumOfMagnitudes) =>
        (model * Float32UnitRoundoff + 2 * UnitRoundoff(xType)) * sumOfMagnitudes;

    public static double SumOfSquaresOfRow(ElementType xType, int model, double sumOfSquares) =>
        (model * Float32UnitRoundoff + 4 * UnitRoundoff(xType)) * sumOfSquares;

    /// <summary>
    /// (Σx)²/M − Σx² may exceed 0 only by fp32 rounding of the two sums: 2·M·2⁻²⁴·Σx² (plus a floor for all-zero rows).
    /// </summary>
    public static double SumsConsistency(int model, double sumOfSquares) => 2 * model * Float32UnitRoundoff * sumOfSquares + double.Epsilon;

    /// <summary>
    /// |y − ŷ| per element, ŷ = (x − mean)/std·γ + β rebuilt from the kernel's own Σx and Σx². The kernel may round mean
    /// and 1/std to the output dtype (Souffle: fp16) and rounds y: u·(|ŷ| + |γ|·(4 + 4|z| + 4|mean|/std)), plus the
    /// cancellation in var = Σx²/M − mean² done in fp32: |γ·z|·4·2⁻²⁴·(Σx²/M)/(var + eps).
    /// </summary>
    public static double OutputFromSums(ElementType yType, double rebuilt, double gamma, double z, double meanOverStd, double cancellation)
    {
        var u = UnitRoundoff(yType);
        return u * (Math.Abs(rebuilt) + Math.Abs(gamma) * (4 + 4 * Math.Abs(z) + 4 * Math.Abs(meanOverStd))) + Math.Abs(gamma * z) * cancellation;
    }
}
