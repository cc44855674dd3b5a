namespace Harness.Comparison;

/// <summary>
/// An elementwise tolerance in the allclose form: an element passes when |actual − expected| ≤ Atol + Rtol·|expected|.
/// The bound scales with the expected value only (as torch.allclose does), so the truth decides what "relative" means.
/// </summary>
public sealed record Tolerance
{
    public Tolerance(double atol, double rtol)
    {
        // Invariant: both bounds are finite and non-negative, so a tolerance can never silently accept NaN or everything.
        if (!double.IsFinite(atol) || atol < 0)
        {
            throw new ArgumentException($"tolerance atol must be finite and non-negative, got {atol}", nameof(atol));
        }

        if (!double.IsFinite(rtol) || rtol < 0)
        {
            throw new ArgumentException($"tolerance rtol must be finite and non-negative, got {rtol}", nameof(rtol));
        }

        Atol = atol;
        Rtol = rtol;
    }

    /// <summary>Bit-exact equality of finite values.</summary>
    public static Tolerance Exact { get; } = new(0, 0);

    public double Atol { get; }

    public double Rtol { get; }

    /// <summary>Whether one pair of values passes; a NaN or infinity on either side never does.</summary>
    public bool Accepts(double actual, double expected) =>
        double.IsFinite(actual) && double.IsFinite(expected) && Math.Abs(actual - expected) <= Atol + (Rtol * Math.Abs(expected));

    public override string ToString() => FormattableString.Invariant($"atol={Atol:G6}, rtol={Rtol:G6}");
}
