using System.Globalization;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>Compares a tensor with its expected value element by element, in float64.</summary>
public static class TensorComparer
{
    public static TensorComparison Compare(string name, HostTensor actual, HostTensor expected, Tolerance tolerance)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a compared tensor needs a name", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(actual, $"{nameof(actual)} ('{name}')");
        ArgumentNullException.ThrowIfNull(expected, $"{nameof(expected)} ('{name}')");
        ArgumentNullException.ThrowIfNull(tolerance, $"{nameof(tolerance)} ('{name}')");

        var actualStats = TensorStatistics.Of(actual);
        var expectedStats = TensorStatistics.Of(expected);
        if (!actual.Shape.AsSpan().SequenceEqual(expected.Shape))
        {
            return ShapeMismatch(name, actual, expected, tolerance, actualStats, expectedStats);
        }

        var pass = new ElementwisePass(actual, expected, tolerance);
        pass.Run();
        var n = actual.Count;
        var worst = pass.WorstFlat < 0 ? null : new TensorElement(
            pass.WorstFlat, TensorIndex.Unflatten(pass.WorstFlat, expected.Shape), actual.Data[pass.WorstFlat], expected.Data[pass.WorstFlat]);
        var anyNonFinite = pass.NonFinitePairs > 0;
        var (passed, reason) = Verdict(name, n, pass.MismatchCount, tolerance, worst, actualStats, expectedStats);

        return new TensorComparison
        {
            Name = name,
            Shape = (long[])expected.Shape.Clone(),
            ActualStats = actualStats,
            ExpectedStats = expectedStats,
            Tolerance = tolerance,
            ShapesMatch = true,
            ElementCount = n,
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

    private static TensorComparison ShapeMismatch(
        string name, HostTensor actual, HostTensor expected, Tolerance tolerance, TensorStatistics actualStats, TensorStatistics expectedStats)
    {
        var n = Math.Max(actual.Count, expected.Count);
        return new TensorComparison
        {
            Name = name,
            Shape = (long[])expected.Shape.Clone(),
            ActualStats = actualStats,
            ExpectedStats = expectedStats,
            Tolerance = tolerance,
            ShapesMatch = false,
            ElementCount = n,
            FinitePairCount = 0,
            MaxAbs = double.NaN,
            MaxRel = double.NaN,
            MeanAbs = double.NaN,
            Rmse = double.NaN,
            RelativeL2 = double.NaN,
            Cosine = double.NaN,
            MismatchCount = n,
            MismatchPercent = 100,
            MaxUlpFp16 = long.MaxValue,
            MaxUlpFp32 = actual.Dtype == ElementType.Float32 ? long.MaxValue : null,
            Worst = null,
            MinimalPassingAtol = double.PositiveInfinity,
            MinimalPassingRtol = double.PositiveInfinity,
            Passed = false,
            Reason = $"{name}: actual shape {actual.ShapeText} differs from expected shape {expected.ShapeText}",
        };
    }
}
