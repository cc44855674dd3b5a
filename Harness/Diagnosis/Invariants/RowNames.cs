using System.Globalization;
using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>Human-readable positions for check details, in the axes of the canonical tensors.</summary>
internal static class RowNames
{
    /// <summary>Row r of a [B,H,S,·] tensor or element r of [B·H,S]: (b, h, s).</summary>
    public static string HeadRow(LayerShape s, long r) =>
        Invariant($"(b={r / ((long)s.Heads * s.Sequence)}, h={r / s.Sequence % s.Heads}, s={r % s.Sequence})");

    /// <summary>Row r of a [B,S,·] tensor or element r of [B·S]: (b, s).</summary>
    public static string TokenRow(LayerShape s, long r) => Invariant($"(b={r / s.Sequence}, s={r % s.Sequence})");

    public static string Value(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
