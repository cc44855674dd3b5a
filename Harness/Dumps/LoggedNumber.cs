using System.Globalization;

namespace Harness.Dumps;

/// <summary>
/// A number as a log printed it, with its resolution: half a unit in the last printed digit ("0.00125" ± 5e-6), the
/// most that printing can have moved it. A bare "0" is exact: every format the harness knows prints a nonzero value
/// with its significant digits ("1e-20", "0.000000" under a fixed format).
/// </summary>
public sealed record LoggedNumber(double Value, double Resolution)
{
    public static bool TryParse(string text, out LoggedNumber number)
    {
        number = new LoggedNumber(double.NaN, 0);
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "nan" or "-nan":
                return true;
            case "inf" or "+inf" or "infinity":
                number = new LoggedNumber(double.PositiveInfinity, 0);
                return true;
            case "-inf" or "-infinity":
                number = new LoggedNumber(double.NegativeInfinity, 0);
                return true;
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var e = t.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? t : t[..e];
        var exponent = e < 0 ? 0 : int.Parse(t[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var decimals = dot < 0 ? 0 : mantissa.Length - dot - 1;
        var exactZero = value == 0 && dot < 0 && e < 0;
        number = new LoggedNumber(value, exactZero ? 0 : 0.5 * Math.Pow(10, exponent - decimals));
        return true;
    }
}
