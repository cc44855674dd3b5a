using System.Globalization;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>Compares a tensor with its expected value element by element, in float64.</summary>
public static class TensorComparer
{
    /// <summary>The value of a metric that could not be measured (the shapes differ).</summary>
    private const double NotMeasured = double.NaN;

    /// <param name="expectedStats">
    /// The statistics of <paramref name="expected"/> where the caller has them already (a truth compared with both the
    /// low-precision reference and the kernel); null computes them.
    /// </param>
    public static TensorComparison Compare(string name, HostTensor actual, HostTensor expected, Tolerance tolerance, TensorStatistics? expectedStats = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a compared tensor needs a name", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(actual, $"{nameof(actual)} ('{name}')");
        ArgumentNullException.ThrowIfNull(expected, $"{nameof(expected)} ('{name}')");
        ArgumentNullException.ThrowIfNull(tolerance, $"{nameof(tolerance)} ('{name}')");

        if (expectedStats is not null && (expectedStats.Count != expected.Count || !expectedStats.Shape.SequenceEqual(expected.Shape)))
        {
            throw new ArgumentException($"the statistics given for '{name}' are of another tensor", nameof(expectedStats));
        }

        var actualStats = TensorStatistics.Of(actual);
        expectedStats ??= TensorStatistics.Of(expected);
        var unmeasured = Unmeasured(name, actual, expected, tolerance, actualStats, expectedStats);
        if (!unmeasured.ShapesMatch)
        {
            return unmeasured;
        }

        var pass = new ElementwisePass(actual, expected, tolerance, expectedStats.MaxMagnitude * ElementwisePass.UlpRelativeFloor);
        pass.Run();
        var n = actual.Count;
        var worst = pass.WorstFlat < 0 ? null : new TensorElement(
            pass.WorstFlat, TensorIndex.Unflatten(pass.WorstFlat, expected.Shape), actual.Data[pass.WorstFlat], expected.Data[pass.WorstFlat]);
        var anyNonFinite = pass.NonFinitePairs > 0;
        var (passed, reason) = Verdict(name, n, pass.MismatchCount, tolerance, worst, actualStats, expectedStats);

        // Every metric of the unmeasured comparison is replaced by the measured one.
        return unmeasured with
        {
            FinitePairCount = pass.FinitePairs,
            MaxAbs = pass.MaxAbs,
            MaxRel = pass.MaxRel,
            MeanAbs = pass.FinitePairs == 0 ? 0 : pass.SumAbs.Value / pass.FinitePairs,
            Rmse = pass.FinitePairs == 0 ? 0 : Math.Sqrt(pass.SumSquaredError.Value / pass.FinitePairs),
            RelativeL2 = RelativeL2(pass.SumSquaredError.Value, pass.SumExpectedSquares.Value),
            Cosine = Cosine(pass.SumProducts.Value, pass.SumActualSquares.Value, pass.SumExpectedSquares.Value),
            MismatchCount = pass.MismatchCount,
            MismatchPercent = n == 0 ? 0 : 100.0 * pass.MismatchCount / n,
            MaxUlpFp16 = pass.MaxUlpFp16,
            MaxUlpFp32 = actual.Dtype == ElementType.Float32 ? pass.MaxUlpFp32 : null,
            Worst = worst,
            MinimalPassingAtol = anyNonFinite ? double.PositiveInfinity : pass.MinimalAtol,
            MinimalPassingRtol = anyNonFinite ? double.PositiveInfinity : pass.MinimalRtol,
            Passed = passed,
            Reason = reason,
        };
    }

    private static (bool Passed, string Reason) Verdict(
        string name, long n, long mismatches, Tolerance tolerance, TensorElement? worst, TensorStatistics actual, TensorStatistics expected)
    {
        var inv = CultureInfo.InvariantCulture;
        if (n == 0)
        {
            return (false, $"{name}: no elements to compare");
        }

        if (actual.NaNCount + actual.InfinityCount > 0)
        {
            return (false, string.Create(inv, $"{name}: actual has {actual.NaNCount} NaN and {actual.InfinityCount} infinite values (NaN/Inf never pass)"));
        }

        if (expected.NaNCount + expected.InfinityCount > 0)
        {
            return (false, string.Create(inv, $"{name}: expected has {expected.NaNCount} NaN and {expected.InfinityCount} infinite values (the truth must be finite)"));
        }

        if (mismatches > 0)
        {
            return (false, string.Create(inv,
                $"{name}: {mismatches} of {n} elements outside {tolerance}; worst at [{string.Join(", ", worst!.Index)}]: actual {worst.Actual:G6} vs expected {worst.Expected:G6}"));
        }

        return (true, string.Create(inv, $"{name}: all {n} elements within {tolerance}"));
    }

    private static double RelativeL2(double squaredError, double expectedSquares) =>
        expectedSquares > 0 ? Math.Sqrt(squaredError / expectedSquares) : squaredError == 0 ? 0 : double.PositiveInfinity;

    private static double Cosine(double products, double actualSquares, double expectedSquares)
    {
        if (actualSquares == 0 || expectedSquares == 0)
        {
            return actualSquares == expectedSquares ? 1 : 0;
        }

        // sqrt(fl(s·s)) = s exactly, so identical tensors give exactly 1; the split form only guards overflow.
        var normProduct = Math.Sqrt(actualSquares * expectedSquares);
        if (!double.IsFinite(normProduct))
        {
            normProduct = Math.Sqrt(actualSquares) * Math.Sqrt(expectedSquares);
        }

        return Math.Clamp(products / normProduct, -1, 1);
    }

    /// <summary>
    /// The comparison before any element is looked at: metrics NaN, every element a mismatch, failed. It is the whole
    /// outcome when the shapes differ; for same-shaped tensors it carries the shared fields that the measurement completes.
    /// </summary>
    private static TensorComparison Unmeasured(
        string name, HostTensor actual, HostTensor expected, Tolerance tolerance, TensorStatistics actualStats, TensorStatistics expectedStats)
    {
        var shapesMatch = actual.Shape.AsSpan().SequenceEqual(expected.Shape);
        var n = shapesMatch ? actual.Count : Math.Max(actual.Count, expected.Count);
        return new TensorComparison
        {
            Name = name,
            Shape = (long[])expected.Shape.Clone(),
            ActualStats = actualStats,
            ExpectedStats = expectedStats,
            Tolerance = tolerance,
            ShapesMatch = shapesMatch,
            ElementCount = n,
            FinitePairCount = 0,
            MaxAbs = NotMeasured,
            MaxRel = NotMeasured,
            MeanAbs = NotMeasured,
            Rmse = NotMeasured,
            RelativeL2 = NotMeasured,
            Cosine = NotMeasured,
            MismatchCount = n,
            MismatchPercent = 100,
            MaxUlpFp16 = long.MaxValue,
            MaxUlpFp32 = actual.Dtype == ElementType.Float32 ? long.MaxValue : null,
            Worst = null,
            MinimalPassingAtol = double.PositiveInfinity,
            MinimalPassingRtol = double.PositiveInfinity,
            Passed = false,
            Reason = shapesMatch ? $"{name}: not measured" : $"{name}: actual shape {actual.ShapeText} differs from expected shape {expected.ShapeText}",
        };
    }
}
