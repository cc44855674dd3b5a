using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>Souffle's softmax: exp in fp16 without the row maximum, so it overflows where Hugging Face's does not.</summary>
public sealed class SouffleSoftmaxTests
{
    private static readonly LayerShape Shape = new(1, 3, 1, 2, 3);

    [Test]
    public void Softmax_SouffleScoreAbove11Point1_OverflowsRowSumToInfinity()
    {
        Softmax(LayerSemantics.Souffle, [11.1, 0.0, 0.0, 11.08, 0.0, 0.0, 1.0, 2.0, 3.0], (rowSum, _) =>
        {
            var sums = rowSum.data<double>().ToArray();
            double.IsPositiveInfinity(sums[0]).Should().BeTrue("exp(11.1) ≈ 66171 exceeds fp16's 65504");
            double.IsFinite(sums[1]).Should().BeTrue("exp(11.08) ≈ 64870 still fits in fp16");
            sums[2].Should().BeApproximately(HalfExpSum(1.0, 2.0, 3.0), 1e-12);
        });
    }

    [Test]
    public void Softmax_HuggingFaceLargeScores_StaysFinite()
    {
        Softmax(LayerSemantics.HuggingFace, [50.0, 0.0, 0.0, 11.08, 0.0, 0.0, 1.0, 2.0, 3.0], (_, probs) =>
        {
            probs.data<double>().ToArray().Should().AllSatisfy(p => double.IsFinite(p).Should().BeTrue());
            probs.sum(-1).data<double>().ToArray().Should().AllSatisfy(s => s.Should().BeApproximately(1.0, 1e-15));
        });
    }

    /// <summary>Runs the reference softmax over one head's 3×3 scores and hands its row sums and probabilities to <paramref name="check"/>.</summary>
    private static void Softmax(LayerSemantics semantics, double[] scores, Action<torch.Tensor, torch.Tensor> check)
    {
        using var ctx = Context(semantics);
        using var input = torch.tensor(scores, [1, 1, 3, 3], torch.float64);

        var (rowSum, probs) = ReferenceStages.Softmax(input, ctx);
        using (rowSum)
        using (probs)
        {
            check(rowSum, probs);
        }
    }

    private static double HalfExpSum(params double[] s) => s.Sum(v => (double)(Half)Math.Exp(v));

    private static StageContext Context(LayerSemantics semantics) =>
        StageContext.Create(Shape, ReferenceTestData.RandomWeights(Shape, seed: 1), null, semantics, ElementType.Float64, "cpu");
}
