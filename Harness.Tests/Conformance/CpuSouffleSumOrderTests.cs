using Harness.Kernels;
using Harness.Tests.Reference;

namespace Harness.Tests.Conformance;

/// <summary>
/// cpu-souffle's fp32 sums in the contract's order (docs/SEMANTICS.md §3): partials over 128 keys (softmax) and 32
/// columns (LayerNorm), each taken pair by pair, s += (v0 + v1), q += (v0·v0 + v1·v1), the partials then added in order.
/// The expected sums are recomputed here in float from the variant's own fp16 tensors; the data make the fp32 sums
/// round, so another order shows (each test fails with one chunk over the whole row).
/// </summary>
public sealed class CpuSouffleSumOrderTests
{
    // S = 131: keys in chunks of 128 and 3 (a pair and a lone key); M = 80: columns in chunks of 32, 32 and 16.
    private static readonly LayerShape Shape = new(1, 131, 2, 40, 16);

    [Test]
    public void SoftmaxRowSum_CpuSouffle_IsTheChunkedPairwiseSumOfItsExponentials()
    {
        // Weights of scale 1 spread the scores, so the exponentials span enough binades for fp32 sums to round.
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 32).RoundedTo(ElementType.Float16);
        var outputs = Run(inputs, ReferenceTestData.RandomWeights(Shape, seed: 31, scale: 1.0));
        var scores = outputs[TensorNames.AttnScores].Data;
        var sums = outputs[TensorNames.AttnSoftmaxRowSum].Data;
        var s = Shape.Sequence;

        for (var row = 0; row < sums.Length; row++)
        {
            var e = Enumerable.Range(0, s).Select(key => (float)(Half)Math.Exp(scores[row * s + key])).ToArray();
            ((float)sums[row]).Should().Be(ChunkedSum(e, 128, (a, b) => a + b), $"row {row}");
        }
    }

    [Test]
    public void LayerNormSums_CpuSouffle_AreTheChunkedPairwiseSumsOfTheResidualSum()
    {
        // Every fifth input element 512 times larger (Q, K and V weights 512 times smaller, so the attention stays
        // finite): x = dense + input mixes values near 500 with values near 0.01, and Σx, Σx² round in fp32.
        var random = ReferenceTestData.RandomInputs(Shape, seed: 34);
        var hidden = random.Hidden.Data.Select((v, i) => i % 5 == 0 ? v * 512.0 : v).ToArray();
        var inputs = new LayerInputs(new HostTensor(random.Hidden.Shape, hidden, ElementType.Float64)).RoundedTo(ElementType.Float16);
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 33);
        weights = weights with { QueryWeight = Scaled(weights.QueryWeight), KeyWeight = Scaled(weights.KeyWeight), ValueWeight = Scaled(weights.ValueWeight) };
        var o = Run(inputs, weights);
        var dense = o[TensorNames.AttnDense].Data;
        var input = inputs.Hidden.Data;
        var m = Shape.Model;

        for (var row = 0; row < Shape.Batch * Shape.Sequence; row++)
        {
            var x = Enumerable.Range(0, m).Select(c => (float)(Half)(dense[row * m + c] + input[row * m + c])).ToArray();
            ((float)o[TensorNames.AttnLnSum].Data[row]).Should().Be(ChunkedSum(x, 32, (a, b) => a + b), $"Σx of row {row}");
            ((float)o[TensorNames.AttnLnSumSq].Data[row]).Should().Be(ChunkedSum(x, 32, (a, b) => a * a + b * b), $"Σx² of row {row}");
        }
    }

    private static IReadOnlyDictionary<string, HostTensor> Run(LayerInputs inputs, LayerWeights weights) =>
        KernelRunner.Run(Verifications.Catalog.Find("cpu-souffle"), new KernelRequest(Shape, inputs, weights.RoundedTo(ElementType.Float16), "souffle", 16)).Outputs;

    private static HostTensor Scaled(HostTensor t) => new(t.Shape, t.Data.Select(v => v / 512.0).ToArray(), t.Dtype);

    /// <summary>Per chunk: s += pair(v[j], v[j+1]) (a lone last value paired with 0); then the partials in order.</summary>
    private static float ChunkedSum(float[] v, int chunk, Func<float, float, float> pair)
    {
        var total = 0.0f;
        for (var first = 0; first < v.Length; first += chunk)
        {
            var last = Math.Min(v.Length, first + chunk);
            var partial = 0.0f;
            for (var j = first; j < last; j += 2)
            {
                partial += pair(v[j], j + 1 < last ? v[j + 1] : 0.0f);
            }

            total += partial;
        }

        return total;
    }
}
