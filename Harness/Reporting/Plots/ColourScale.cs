namespace Harness.Reporting.Plots;

/// <summary>
/// The value range a heatmap's colours span and the ticks of its colour bar. Left to ScottPlot, a constant map spans
/// [v, v]: the bar has no ticks and the one value present is never printed. A constant v is drawn mid-range instead.
/// </summary>
public sealed record ColourScale(double Min, double Max, IReadOnlyList<double> Ticks)
{
    public const int TickCount = 5;

    public static ColourScale Of(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        var (min, max) = finite.Count == 0 ? (0.0, 1.0) : (finite.Min(), finite.Max());
        if (max == min)
        {
            // Invariant: min < max from here on, so the ticks are distinct; the constant sits on the middle tick, and
            // a positive one (an |error|) keeps the range at or above 0.
            (min, max) = min == 0 ? (-1.0, 1.0) : min > 0 ? (0.0, 2 * min) : (2 * min, 0.0);
        }

        var ticks = Enumerable.Range(0, TickCount).Select(i => min + ((max - min) * i / (TickCount - 1))).ToList();
        return new ColourScale(min, max, ticks);
    }
}
