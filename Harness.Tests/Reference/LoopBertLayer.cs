
namespace Harness.Tests.Reference;

/// <summary>
/// An independent float64 BERT layer written with plain loops over arrays, to check the TorchSharp reference.
/// It knows the two presets' points (biases, score scale, softmax style, activation, LayerNorm style, fp16 residual,
/// fp16 rounding points, FC2 split-K) with wide accumulation; results in canonical layout, keyed by canonical name.
/// </summary>
internal static class LoopBertLayer
{
    public static Dictionary<string, double[]> Compute(LayerShape s, LayerInputs inputs, LayerWeights w, LayerSemantics sem)
    {
        int bs = s.Batch, sq = s.Sequence, h = s.Heads, d = s.HeadSize, m = s.Model, f = s.Intermediate;
        double R(double v) => sem.Fp16RoundingPoints ? (double)(Half)v : v;
        var x0 = inputs.Hidden.Data;
        var mask = inputs.AttentionMask?.Data;
        var o = new Dictionary<string, double[]> { [TensorNames.Input] = (double[])x0.Clone() };

        // Projections: out[b,s,o] = Σ_i x[b,s,i]·W[o,i] (+ bias), then [B,H,S,D].
        double[] Project(double[] w2, double[] bias)
        {
            var r = new double[bs * h * sq * d];
            for (var b = 0; b < bs; b++)
                for (var t = 0; t < sq; t++)
                    for (var oc = 0; oc < m; oc++)
                    {
                        var acc = 0.0;
                        for (var i = 0; i < m; i++)
                        {
                            acc += x0[(b * sq + t) * m + i] * w2[oc * m + i];
                        }

                        var v = R(acc);
                        if (sem.UseBiases)
                        {
                            v = R(v + bias[oc]);
                        }

                        r[((b * h + oc / d) * sq + t) * d + oc % d] = v;
                    }

            return r;
        }

        var q = Project(w.QueryWeight.Data, w.QueryBias.Data);
        var k = Project(w.KeyWeight.Data, w.KeyBias.Data);
        var v = Project(w.ValueWeight.Data, w.ValueBias.Data);
        o[TensorNames.AttnQ] = q;
        o[TensorNames.AttnK] = k;
        o[TensorNames.AttnV] = v;
        o[TensorNames.AttnQkv] = [.. q, .. k, .. v];

        var scale = ScaleOf(sem.ScoreScale, s);
        var raw = new double[bs * h * sq * sq];
        var scores = new double[raw.Length];
        var probs = new double[raw.Length];
        var rowSum = new double[bs * h * sq];
        for (var bh = 0; bh < bs * h; bh++)
            for (var i = 0; i < sq; i++)
            {
                var row = (bh * sq + i) * sq;
                for (var j = 0; j < sq; j++)
                {
                    var acc = 0.0;
                    for (var c = 0; c < d; c++)
                    {
                        acc += q[(bh * sq + i) * d + c] * k[(bh * sq + j) * d + c];
                    }

                    raw[row + j] = R(acc);
                    var sc = R(raw[row + j] * scale);
                    if (mask is not null)
                    {
                        sc = R(sc + R(mask[(bh / h) * sq + j]));
                    }

                    scores[row + j] = sc;
                }

                var max = double.NegativeInfinity;
                for (var j = 0; j < sq; j++)
                {
                    max = Math.Max(max, scores[row + j]);
                }

                var e = new double[sq];
                var sum = 0.0;
                for (var j = 0; j < sq; j++)
                {
                    e[j] = sem.Softmax == SoftmaxStyle.MaxSubtracted ? Math.Exp(scores[row + j] - max) : R(Math.Exp(scores[row + j]));
                    sum += e[j];
                }

                rowSum[bh * sq + i] = sum;
                for (var j = 0; j < sq; j++)
                {
                    probs[row + j] = sem.Softmax == SoftmaxStyle.MaxSubtracted ? e[j] / sum : R(e[j] * (1.0 / sum));
                }
            }

        o[TensorNames.AttnScoresRaw] = raw;
        o[TensorNames.AttnScores] = scores;
        o[TensorNames.AttnSoftmaxRowSum] = rowSum;
        o[TensorNames.AttnProbs] = probs;

        var context = new double[bs * sq * m];
        for (var b = 0; b < bs; b++)
            for (var hh = 0; hh < h; hh++)
                for (var i = 0; i < sq; i++)
                    for (var c = 0; c < d; c++)
                    {
                        var acc = 0.0;
                        for (var j = 0; j < sq; j++)
                        {
                            acc += probs[((b * h + hh) * sq + i) * sq + j] * v[((b * h + hh) * sq + j) * d + c];
                        }

                        context[(b * sq + i) * m + hh * d + c] = R(acc);
                    }

        o[TensorNames.AttnContext] = context;
        var dense = Linear(context, bs * sq, m, w.AttentionOutputWeight.Data, w.AttentionOutputBias.Data, m, sem, R);
        o[TensorNames.AttnDense] = dense;
        var attnOut = AddAndNorm(o, "attn", dense, x0, w.AttentionLayerNormGamma.Data, w.AttentionLayerNormBeta.Data, w, s, sem, R);
        o[TensorNames.AttnOutput] = attnOut;

        var fc1Linear = Linear(attnOut, bs * sq, m, w.IntermediateWeight.Data, w.IntermediateBias.Data, f, sem, R);
        o[TensorNames.FfnFc1Linear] = fc1Linear;
        var fc1 = fc1Linear.Select(z => R(sem.Activation == Activation.Relu ? Math.Max(z, 0.0) : 0.5 * z * (1.0 + Erf(z / Math.Sqrt(2.0))))).ToArray();
        o[TensorNames.FfnFc1] = fc1;

        var fc2 = new double[bs * sq * m];
        var parts = sem.Fc2SplitK;
        var tile = LayerSemantics.Fc2KTile;
        for (var r = 0; r < bs * sq; r++)
            for (var oc = 0; oc < m; oc++)
            {
                double? acc = null;
                for (var part = 0; part < parts; part++)
                {
                    // Part w holds the k-tiles w, w+n, w+2n, … of F (docs/SEMANTICS.md §4); a part without a tile adds nothing.
                    if (part * tile >= f)
                    {
                        continue;
                    }

                    var sum = 0.0;
                    for (var start = part * tile; start < f; start += parts * tile)
                    {
                        for (var i = start; i < Math.Min(f, start + tile); i++)
                        {
                            sum += fc1[r * f + i] * w.OutputWeight.Data[oc * f + i];
                        }
                    }

                    acc = R((acc ?? 0.0) + sum);
                }

                var y = acc!.Value;
                fc2[r * m + oc] = sem.UseBiases ? R(y + w.OutputBias.Data[oc]) : y;
            }

        o[TensorNames.FfnFc2Linear] = fc2;
        o[TensorNames.Output] = AddAndNorm(o, "ffn", fc2, attnOut, w.OutputLayerNormGamma.Data, w.OutputLayerNormBeta.Data, w, s, sem, R);
        return o;
    }

    /// <summary>The score scale, computed here from Half arithmetic (the Souffle constant) or the closed form.</summary>
    public static double ScaleOf(ScoreScale scale, LayerShape s) => scale switch
    {
        ScoreScale.InverseSqrtHeadSize => 1.0 / Math.Sqrt(s.HeadSize),
        ScoreScale.Fp16InverseSqrtModelWidth => (double)(Half.One / Half.Sqrt((Half)s.Model)),
        _ => throw new NotSupportedException($"loop layer does not model score scale {scale}"),
    };

    /// <summary>erf by the all-positive series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), accurate to ~1e-16 for |x| ≤ 6.</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) > 6.0)
        {
            return Math.Sign(x);
        }

        var term = x;
        var sum = x;
        for (var n = 1; n < 500 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= 2.0 * x * x / (2 * n + 1);
            sum += term;
        }

        return 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static double[] Linear(double[] x, int rows, int inner, double[] w2, double[] bias, int outer, LayerSemantics sem, Func<double, double> r)
    {
        var y = new double[rows * outer];
        for (var row = 0; row < rows; row++)
            for (var oc = 0; oc < outer; oc++)
            {
                var acc = 0.0;
                for (var i = 0; i < inner; i++)
                {
                    acc += x[row * inner + i] * w2[oc * inner + i];
                }

                var v = r(acc);
                y[row * outer + oc] = sem.UseBiases ? r(v + bias[oc]) : v;
            }

        return y;
    }

    private static double[] AddAndNorm(Dictionary<string, double[]> o, string prefix, double[] linear, double[] residual, double[] gamma, double[] beta, LayerWeights w, LayerShape s, LayerSemantics sem, Func<double, double> r)
    {
        var m = s.Model;
        var rows = s.Batch * s.Sequence;
        var y = new double[rows * m];
        var sums = new double[rows];
        var sumSqs = new double[rows];
        for (var row = 0; row < rows; row++)
        {
            var x = new double[m];
            for (var c = 0; c < m; c++)
            {
                var v = linear[row * m + c] + residual[row * m + c];
                x[c] = sem.ResidualInFp16 ? (double)(Half)v : v;
                sums[row] += x[c];
                sumSqs[row] += x[c] * x[c];
            }

            if (sem.LayerNorm == LayerNormStyle.ScalarAffineFromSums)
            {
                var mean = r(sums[row] / m);
                var rstd = r(1.0 / r(Math.Sqrt((sumSqs[row] - sums[row] * sums[row] / m) / m + sem.LayerNormEps)));
                var g = r(w.LayerNormScalarGamma);
                var b = r(w.LayerNormScalarBeta);
                for (var c = 0; c < m; c++)
                {
                    y[row * m + c] = r(r(r(r(x[c] - mean) * rstd) * g) + b);
                }
            }
            else
            {
                var mean = x.Average();
                var variance = x.Select(z => (z - mean) * (z - mean)).Average();
                for (var c = 0; c < m; c++)
                {
                    y[row * m + c] = r((x[c] - mean) / Math.Sqrt(variance + sem.LayerNormEps) * gamma[c] + beta[c]);
                }
            }
        }

        o[prefix + ".ln_sum"] = sums;
        o[prefix + ".ln_sumsq"] = sumSqs;
        return y;
    }
}
