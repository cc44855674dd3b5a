using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

/// <summary>
/// Builds a consistent set of intermediates in float64 straight from the definitions (softmax with max subtracted,
/// two-pass LayerNorm), rounded to the dtype a kernel would store, so the invariants must hold on them.
/// </summary>
internal static class InvariantTensors
{
    public static readonly LayerShape Awkward = new(1, 7, 3, 5, 11);
    public static readonly LayerShape Round = new(2, 64, 4, 16, 64);

    public static HostTensor Probabilities(LayerShape shape, ElementType dtype, int seed = 1)
    {
        var random = new Random(seed);
        var s = shape.Sequence;
        var data = new double[(long)shape.Batch * shape.Heads * s * s];
        for (long row = 0; row < data.Length / s; row++)
        {
            var scores = Enumerable.Range(0, s).Select(_ => 4 * random.NextDouble() - 2).ToArray();
            var max = scores.Max();
            var exps = scores.Select(v => Math.Exp(v - max)).ToArray();
            var sum = exps.Sum();
            for (var t = 0; t < s; t++)
            {
                data[row * s + t] = dtype.Round(exps[t] / sum);
            }
        }

        return new HostTensor(TensorNames.ShapeOf(TensorNames.AttnProbs, shape), data, dtype);
    }

    public static HostTensor Random(string name, LayerShape shape, ElementType dtype, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var dims = TensorNames.ShapeOf(name, shape);
        var data = new double[dims.Aggregate(1L, (a, d) => a * d)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = dtype.Round(scale * (2 * random.NextDouble() - 1));
        }

        return new HostTensor(dims, data, dtype);
    }

    public static (double[] Gamma, double[] Beta) PerChannelAffine(int model, int seed)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, model).Select(_ => 0.5 + random.NextDouble()).ToArray(),
                Enumerable.Range(0, model).Select(_ => 0.4 * random.NextDouble() - 0.2).ToArray());
    }

    /// <summary>
    /// attn.dense, input, the Σx/Σx² buffers (fp32) and attn.output = LayerNorm(dense + input)·γ + β in <paramref name="dtype"/>,
    /// with x rounded to fp16 first when <paramref name="residualInFp16"/>.
    /// </summary>
    public static Dictionary<string, HostTensor> AttentionLayerNorm(LayerShape shape, ElementType dtype, LayerNormAffine affine, double eps, bool residualInFp16)
    {
        var dense = Random(TensorNames.AttnDense, shape, dtype, seed: 11, scale: 2.0);
        var input = Random(TensorNames.Input, shape, dtype, seed: 12, scale: 1.0);
        var m = shape.Model;
        var rows = shape.Batch * shape.Sequence;
        var y = new double[(long)rows * m];
        var sums = new double[rows];
        var squares = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var x = Enumerable.Range(0, m).Select(c => dense.Data[r * m + c] + input.Data[r * m + c])
                .Select(v => residualInFp16 ? ElementType.Float16.Round(v) : v).ToArray();
            var mean = x.Average();
            var variance = x.Select(v => (v - mean) * (v - mean)).Average();
            sums[r] = ElementType.Float32.Round(x.Sum());
            squares[r] = ElementType.Float32.Round(x.Sum(v => v * v));
            for (var c = 0; c < m; c++)
            {
                y[r * m + c] = dtype.Round((x[c] - mean) / Math.Sqrt(variance + eps) * affine.Gamma(c) + affine.Beta(c));
            }
        }

        var bsm = TensorNames.ShapeOf(TensorNames.AttnOutput, shape);
        return new Dictionary<string, HostTensor>
        {
            [TensorNames.AttnDense] = dense,
            [TensorNames.Input] = input,
            [TensorNames.AttnOutput] = new HostTensor(bsm, y, dtype),
            [TensorNames.AttnLnSum] = new HostTensor([rows], sums, ElementType.Float32),
            [TensorNames.AttnLnSumSq] = new HostTensor([rows], squares, ElementType.Float32),
        };
    }

    public static InvariantResult Single(IReadOnlyList<InvariantResult> results, string name, string tensor) =>
        results.Single(r => r.Name == name && r.TensorName == tensor);

    /// <summary>Asserts that each of <paramref name="invariants"/> has exactly one result on <paramref name="tensor"/>, and that it passed.</summary>
    public static void ShouldPass(IReadOnlyList<InvariantResult> results, string tensor, params string[] invariants)
    {
        foreach (var invariant in invariants)
        {
            Single(results, invariant, tensor).Status.Should().Be(InvariantStatus.Passed, because: invariant);
        }
    }

    /// <summary>Checks <paramref name="tensor"/> on its own and returns the one result <paramref name="invariant"/> gives it.</summary>
    public static InvariantResult CheckAlone(string tensorName, HostTensor tensor, LayerShape shape, InvariantContext context, string invariant) =>
        Single(InvariantChecker.Check(new Dictionary<string, HostTensor> { [tensorName] = tensor }, shape, context), invariant, tensorName);
}
