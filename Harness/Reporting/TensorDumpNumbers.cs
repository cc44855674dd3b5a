using System.Globalization;

namespace Harness.Reporting;

/// <summary>
/// How dumps and report lines print numbers, one format everywhere: "G6" in the invariant culture (six significant
/// digits: every fp16 value and the statistics of fp16 tensors print exactly enough to tell neighbours apart; fp32
/// values lose their seventh digit, which the ULP columns report instead), with NaN and infinities spelled as
/// PyTorch prints them: nan, inf, -inf.
/// </summary>
public static class TensorDumpNumbers
{
    private const int MaxPercentDecimals = 20;

    public static string Number(double value) => value switch
    {
        double.NaN => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A percentage with at least two significant digits of both p and 100 − p, so 1 mismatch in 2000 prints 0.05%,
    /// 1 in 1.7 million prints 0.000059%, and neither a single mismatch nor a single match rounds away to 0% or 100%.
    /// Trailing zeros are dropped.
    /// </summary>
    public static string Percent(double percent)
    {
        if (!double.IsFinite(percent))
        {
            return Number(percent) + "%";
        }

        if (percent <= 0 || percent >= 100)
        {
            return percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";
        }

        var decimals = Math.Max(DecimalsForTwoSignificant(percent), DecimalsForTwoSignificant(100 - percent));
        var text = percent.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.TrimEnd('0').TrimEnd('.') + "%";
    }

    /// <summary>A used budget fraction: two significant digits below 1 (0.37), a multiple with one decimal from 1 on (4.2×).</summary>
    public static string Fraction(double used) => used switch
    {
        double.NaN => "n/a",
        double.PositiveInfinity => "inf×",
        < 1 => used.ToString("G2", CultureInfo.InvariantCulture),
        _ => used.ToString("0.0", CultureInfo.InvariantCulture) + "×",
    };

    public static string Shape(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";

    private static int DecimalsForTwoSignificant(double positive) =>
        Math.Clamp(1 - (int)Math.Floor(Math.Log10(positive)), 2, MaxPercentDecimals);
}
