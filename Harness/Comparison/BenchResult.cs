using Harness.Model;

namespace Harness.Comparison;

/// <summary>Timings of one variant: median, min and max of the timed invocations, and the layer's GEMM throughput.</summary>
public sealed record BenchResult(string Variant, string Semantics, LayerShape Shape, int Iterations, double MedianMicroseconds, double MinMicroseconds, double MaxMicroseconds, string? SkippedBecause)
{
    /// <summary>Floating-point operations of the layer's six GEMMs (2·m·n·k each).</summary>
    public static double LayerFlops(LayerShape s)
    {
        double rows = (double)s.Batch * s.Sequence;
        double m = s.Model;
        var projections = 2 * rows * m * 3 * m;
        var attention = 2 * 2 * s.Batch * s.Heads * (double)s.Sequence * s.Sequence * s.HeadSize;
        var dense = 2 * rows * m * m;
        var ffn = 2 * 2 * rows * m * s.Intermediate;
        return projections + attention + dense + ffn;
    }

    public double TeraflopsPerSecond => SkippedBecause is null ? LayerFlops(Shape) / (MedianMicroseconds * 1e-6) / 1e12 : double.NaN;

    public static BenchResult Of(string variant, string semantics, LayerShape shape, IReadOnlyList<TimeSpan> times)
    {
        var us = times.Select(t => t.TotalMilliseconds * 1000).Order().ToList();
        var median = us.Count % 2 == 1 ? us[us.Count / 2] : (us[(us.Count / 2) - 1] + us[us.Count / 2]) / 2;
        return new BenchResult(variant, semantics, shape, us.Count, median, us[0], us[^1], null);
    }

    public static BenchResult Skipped(string variant, string semantics, LayerShape shape, string reason) =>
        new(variant, semantics, shape, 0, double.NaN, double.NaN, double.NaN, reason);
}
