using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>LayerNorm checks: normalised rows have mean 0 and variance 1; Σx, Σx² agree with x and with the output.</summary>
internal static class LayerNormChecks
{
    public static IEnumerable<InvariantResult> Statistics(LayerNormStage stage, IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape, InvariantContext ctx)
    {
        var why = Unavailable(stage, tensors, ctx);
        if (why is not null)
        {
            yield return InvariantResult.NotApplicable(InvariantNames.LayerNormMean, stage.Output, why);
            yield return InvariantResult.NotApplicable(InvariantNames.LayerNormVariance, stage.Output, why);
            yield break;
        }

        var y = tensors[stage.Output];
        var affine = stage.Affine(ctx)!;
        var m = shape.Model;
        var ratio = Enumerable.Range(0, m).Max(c => Math.Abs(affine.Beta(c) / affine.Gamma(c)));
        var meanTolerance = InvariantTolerances.LayerNormMean(y.Dtype, ratio) * ctx.ToleranceScale;
        var varianceTolerance = InvariantTolerances.LayerNormVariance(y.Dtype, ratio) * ctx.ToleranceScale;
        var x = stage.Residual(tensors, ctx);
        var means = new WorstTracker();
        var variances = new WorstTracker();
        var z = new double[m];
        for (long row = 0; row < y.Count / m; row++)
        {
            for (var c = 0; c < m; c++)
            {
                z[c] = (y.Data[row * m + c] - affine.Beta(c)) / affine.Gamma(c);
            }

            var (mean, variance) = MeanAndVariance(z);
            var expected = x is null ? 1.0 : ExpectedVariance(x.AsSpan((int)(row * m), m), ctx);
            var r = row;
            means.Observe(Math.Abs(mean), meanTolerance, () => new RowMean(RowPosition.OfTokenRow(shape, r), mean));
            variances.Observe(Math.Abs(variance - expected), varianceTolerance, () => new RowVariance(RowPosition.OfTokenRow(shape, r), variance, expected));
        }

        yield return means.ToResult(InvariantNames.LayerNormMean, stage.Output, "rows", "|mean|");
        yield return variances.ToResult(InvariantNames.LayerNormVariance, stage.Output, "rows", "|variance − expected|");
    }

    public static IEnumerable<InvariantResult> Sums(LayerNormStage stage, IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape, InvariantContext ctx)
    {
        if (!tensors.TryGetValue(stage.Sum, out var sum) || !tensors.TryGetValue(stage.SumSq, out var sumSq))
        {
            var missing = new PairNotGiven(stage.Sum, stage.SumSq, InputUnknown: false);
            yield return InvariantResult.NotApplicable(InvariantNames.SumsConsistent, stage.SumSq, missing);
            yield return InvariantResult.NotApplicable(InvariantNames.SumsMatchInput, stage.Sum, missing);
            yield return InvariantResult.NotApplicable(InvariantNames.SumsMatchInput, stage.SumSq, missing);
            yield return InvariantResult.NotApplicable(InvariantNames.OutputFromSums, stage.Output, missing);
            yield break;
        }

        var m = shape.Model;
        yield return Consistency(stage, sum, sumSq, shape);

        var x = stage.Residual(tensors, ctx);
        if (x is null)
        {
            var missing = new PairNotGiven(stage.ResidualA, stage.ResidualB, InputUnknown: true);
            yield return InvariantResult.NotApplicable(InvariantNames.SumsMatchInput, stage.Sum, missing);
            yield return InvariantResult.NotApplicable(InvariantNames.SumsMatchInput, stage.SumSq, missing);
            yield return InvariantResult.NotApplicable(InvariantNames.OutputFromSums, stage.Output, missing);
            yield break;
        }

        var xType = stage.UnmatchedResidualRounding(tensors, ctx);
        var sums = new WorstTracker();
        var squares = new WorstTracker();
        for (long row = 0; row < sum.Count; row++)
        {
            double s1 = 0, s2 = 0, magnitudes = 0;
            for (var c = 0; c < m; c++)
            {
                var v = x[row * m + c];
                s1 += v;
                s2 += v * v;
                magnitudes += Math.Abs(v);
            }

            var r = row;
            var given1 = sum.Data[row];
            var given2 = sumSq.Data[row];
            sums.Observe(Math.Abs(given1 - s1), InvariantTolerances.SumOfRow(xType, m, magnitudes) * ctx.ToleranceScale,
                () => new SumMismatch(RowPosition.OfTokenRow(shape, r), stage.Sum, given1, stage.ResidualA, stage.ResidualB, s1, Squares: false));
            squares.Observe(Math.Abs(given2 - s2), InvariantTolerances.SumOfSquaresOfRow(xType, m, s2) * ctx.ToleranceScale,
                () => new SumMismatch(RowPosition.OfTokenRow(shape, r), stage.SumSq, given2, stage.ResidualA, stage.ResidualB, s2, Squares: true));
        }

        yield return sums.ToResult(InvariantNames.SumsMatchInput, stage.Sum, "rows", "|Σx − recomputed|");
        yield return squares.ToResult(InvariantNames.SumsMatchInput, stage.SumSq, "rows", "|Σx² − recomputed|");
        yield return OutputFromSums(stage, tensors, shape, ctx, x, sum, sumSq);
    }

    private static InvariantResult Consistency(LayerNormStage stage, HostTensor sum, HostTensor sumSq, LayerShape shape)
    {
        var m = shape.Model;
        var tracker = new WorstTracker();
        for (long row = 0; row < sum.Count; row++)
        {
            var s1 = sum.Data[row];
            var s2 = sumSq.Data[row];
            var deficit = double.IsFinite(s1) && double.IsFinite(s2) ? Math.Max(0, Math.Max(s1 * s1 / m - s2, -s2)) : double.NaN;
            var r = row;
            tracker.Observe(deficit, InvariantTolerances.SumsConsistency(m, Math.Abs(s2)),
                () => new MomentsInconsistent(RowPosition.OfTokenRow(shape, r), s1, s2, s1 * s1 / m));
        }

        return tracker.ToResult(InvariantNames.SumsConsistent, stage.SumSq, "rows", "(Σx)²/M − Σx²");
    }

    private static InvariantResult OutputFromSums(LayerNormStage stage, IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape, InvariantContext ctx, double[] x, HostTensor sum, HostTensor sumSq)
    {
        var why = Unavailable(stage, tensors, ctx);
        if (why is not null)
        {
            return InvariantResult.NotApplicable(InvariantNames.OutputFromSums, stage.Output, why);
        }

        var y = tensors[stage.Output];
        var affine = stage.Affine(ctx)!;
        var m = shape.Model;
        var tracker = new WorstTracker();
        for (long row = 0; row < sum.Count; row++)
        {
            var mean = sum.Data[row] / m;
            var meanSquare = sumSq.Data[row] / m;
            var variance = Math.Max(meanSquare - mean * mean, 0);
            var std = Std(variance, ctx);
            var cancellation = 4 * InvariantTolerances.Float32UnitRoundoff * meanSquare / (variance + ctx.LayerNormEps + double.Epsilon);
            for (var c = 0; c < m; c++)
            {
                var i = row * m + c;
                var z = (x[i] - mean) / std;
                var rebuilt = z * affine.Gamma(c) + affine.Beta(c);
                var given = y.Data[i];
                var tolerance = InvariantTolerances.OutputFromSums(y.Dtype, rebuilt, affine.Gamma(c), z, mean / std, cancellation) * ctx.ToleranceScale;
                var (r, channel) = (row, c);
                tracker.Observe(Math.Abs(given - rebuilt), tolerance,
                    () => new OutputMismatch(stage.Output, RowPosition.OfTokenRow(shape, r), channel, given, rebuilt));
            }
        }

        return tracker.ToResult(InvariantNames.OutputFromSums, stage.Output, "values", "|y − rebuilt|");
    }

    /// <summary>Why the output's LayerNorm cannot be inverted, or null when it can.</summary>
    private static InvariantDetail? Unavailable(LayerNormStage stage, IReadOnlyDictionary<string, HostTensor> tensors, InvariantContext ctx)
    {
        if (!tensors.ContainsKey(stage.Output))
        {
            return new TensorsNotGiven([stage.Output]);
        }

        var affine = stage.Affine(ctx);
        if (affine is null)
        {
            return new NoLayerNormAffine(stage.Output);
        }

        var width = affine.IsScalar ? 1 : affine.Length;
        var zero = Enumerable.Range(0, width).Where(c => affine.Gamma(c) == 0).ToArray();
        return zero.Length == 0 ? null : new ZeroGamma(zero);
    }

    /// <summary>var z of a row normalised with eps: var/(var + eps) inside the root, var/(√var + eps)² outside.</summary>
    private static double ExpectedVariance(ReadOnlySpan<double> x, InvariantContext ctx)
    {
        var (_, variance) = MeanAndVariance(x);
        var std = Std(variance, ctx);
        return std == 0 ? 0 : variance / (std * std);
    }

    private static double Std(double variance, InvariantContext ctx) => ctx.EpsPlacement == EpsPlacement.InsideRoot
        ? Math.Sqrt(variance + ctx.LayerNormEps)
        : Math.Sqrt(variance) + ctx.LayerNormEps;

    /// <summary>Two-pass population mean and variance in float64.</summary>
    private static (double Mean, double Variance) MeanAndVariance(ReadOnlySpan<double> v)
    {
        var mean = 0.0;
        foreach (var e in v)
        {
            mean += e;
        }

        mean /= v.Length;
        var variance = 0.0;
        foreach (var e in v)
        {
            variance += (e - mean) * (e - mean);
        }

        return (mean, variance / v.Length);
    }
}
