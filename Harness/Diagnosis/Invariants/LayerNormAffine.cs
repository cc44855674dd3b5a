namespace Harness.Diagnosis.Invariants;

/// <summary>LayerNorm's affine y = z·γ + β: per channel (Hugging Face) or one scalar pair (Souffle).</summary>
public sealed class LayerNormAffine
{
    private readonly double[] gamma;
    private readonly double[] beta;

    private LayerNormAffine(double[] gamma, double[] beta, bool scalar)
    {
        this.gamma = gamma;
        this.beta = beta;
        IsScalar = scalar;
    }

    public static LayerNormAffine Identity { get; } = Scalar(1.0, 0.0);

    public bool IsScalar { get; }

    /// <summary>Channels when per-channel; 1 when scalar.</summary>
    public int Length => gamma.Length;

    public static LayerNormAffine Scalar(double gamma, double beta) => new([gamma], [beta], scalar: true);

    public static LayerNormAffine PerChannel(IReadOnlyList<double> gamma, IReadOnlyList<double> beta)
    {
        if (gamma.Count != beta.Count)
        {
            throw new ArgumentException($"LayerNorm gamma has {gamma.Count} values but beta has {beta.Count}");
        }

        return new([.. gamma], [.. beta], scalar: false);
    }

    public double Gamma(int channel) => IsScalar ? gamma[0] : gamma[channel];

    public double Beta(int channel) => IsScalar ? beta[0] : beta[channel];

    /// <summary>Throws naming <paramref name="what"/> when the affine does not fit width <paramref name="model"/> or holds a non-finite value.</summary>
    public void Validate(string what, int model)
    {
        if (!IsScalar && gamma.Length != model)
        {
            throw new ArgumentException($"{what}: gamma and beta have {gamma.Length} values, expected M = {model}");
        }

        for (var m = 0; m < gamma.Length; m++)
        {
            if (!double.IsFinite(gamma[m]) || !double.IsFinite(beta[m]))
            {
                throw new ArgumentException($"{what}: gamma or beta at channel {m} is not finite ({gamma[m]}, {beta[m]})");
            }
        }
    }
}
