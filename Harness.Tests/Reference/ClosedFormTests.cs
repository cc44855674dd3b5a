using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>Scenarios whose intermediates are known in closed form.</summary>
public sealed class ClosedFormTests
{
    private static readonly LayerShape Shape = ReferenceTestData.Awkward;

    [Test]
    public void Forward_ConstantInputAndWeights_GivesUniformProbsContextEqualToValueAndOutputEqualToBeta()
    {
        // Every token carries the same vector, so every score row is constant whatever the weights. Each value here is a
        // power of two or an exact multiple of one (S = 8, so 1/S too), and the attention's biases are zero, so every
        // sum is exact in any order: the rows are constant to the bit on every GEMM path (MKL picks its kernels by the
        // host's instruction set), and the LayerNorm then leaves beta exactly.
        const double hiddenValue = 0.25;
        const double weightValue = 0.125;
        var shape = ReferenceTestData.Awkward with { Sequence = 8 };
        var zeros = HostTensor.Filled([shape.Model], 0.0, ElementType.Float64);
        var weights = ReferenceTestData.RandomWeights(shape, seed: 3).Map(t => t.Shape.Length == 2 ? HostTensor.Filled(t.Shape, weightValue, t.Dtype) : t) with
        {
            QueryBias = zeros,
            KeyBias = zeros,
            ValueBias = zeros,
            AttentionOutputBias = zeros,
        };
        var inputs = new LayerInputs(HostTensor.Filled([shape.Batch, shape.Sequence, shape.Model], hiddenValue, ElementType.Float64));

        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.HuggingFace, shape).In(ElementType.Float64));

        trace.ToHost(TensorNames.AttnProbs).Data.Should().AllSatisfy(p => p.Should().Be(1.0 / shape.Sequence));
        var valueEntry = shape.Model * hiddenValue * weightValue;
        trace.ToHost(TensorNames.AttnV).Data.Should().AllSatisfy(v => v.Should().Be(valueEntry));
        trace.ToHost(TensorNames.AttnContext).Data.Should().AllSatisfy(c => c.Should().Be(valueEntry));

        // attn.dense + input is constant along each row, so LayerNorm leaves exactly beta.
        var output = trace.ToHost(TensorNames.AttnOutput).Data;
        var beta = weights.AttentionLayerNormBeta.Data;
        output.Select((y, i) => y - beta[i % shape.Model]).Should().AllSatisfy(d => d.Should().Be(0));
    }

    [Test]
    public void Forward_SouffleConstantRows_GivesScalarBetaRoundedToHalf()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 3).Map(t => t.Shape.Length == 2 ? HostTensor.Filled(t.Shape, 0.125, t.Dtype) : t) with
        {
            LayerNormScalarBeta = 0.1,
        };
        var inputs = new LayerInputs(HostTensor.Filled([Shape.Batch, Shape.Sequence, Shape.Model], 0.5, ElementType.Float64));

        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.Souffle, Shape).In(ElementType.Float64));

        var expected = (double)(Half)0.1;
        trace.ToHost(TensorNames.AttnOutput).Data.Should().AllSatisfy(y => y.Should().Be(expected));
        trace.ToHost(TensorNames.Output).Data.Should().AllSatisfy(y => y.Should().Be(expected));
    }

    [Test]
    public void ScoreScaleValue_SouffleAtBertBase_EqualsHalfArithmeticOneOverSqrt768()
    {
        var fromHalf = (double)(Half.One / Half.Sqrt((Half)768));

        ReferenceStages.ScoreScaleValue(ScoreScale.Fp16InverseSqrtModelWidth, LayerShape.BertBase384).Should().Be(fromHalf);
        fromHalf.Should().BeApproximately(1.0 / Math.Sqrt(768.0), 2e-5, because: "the constant is 1/sqrt(768) to fp16 precision");
    }

    [Test]
    public void ScoreScaleValue_HuggingFaceAtBertBase_IsOneEighth()
    {
        ReferenceStages.ScoreScaleValue(ScoreScale.InverseSqrtHeadSize, LayerShape.BertBase384).Should().Be(0.125);
    }

    [TestCase(Activation.GeluErf, new[] { -1.0, 0.0, 1.0, 2.0 }, new[] { -0.15865525393145707, 0.0, 0.8413447460685429, 1.9544997361036416 })]
    [TestCase(Activation.Relu, new[] { -2.0, -0.0, 0.5, 3.0 }, new[] { 0.0, 0.0, 0.5, 3.0 })]
    public void Activation_KnownValues_GivesClosedForm(Activation activation, double[] x, double[] expected)
    {
        // GELU(x) = x·Φ(x); Φ(1) = 0.8413447460685429 and Φ(2) = 0.9772498680518208 are standard normal table values.
        var shape = new LayerShape(1, 1, 1, 1, x.Length);
        var semantics = LayerSemantics.HuggingFace with { Activation = activation };
        using var ctx = StageContext.Create(shape, ReferenceTestData.RandomWeights(shape, seed: 1), null, semantics, ElementType.Float64, "cpu");
        using var input = torch.tensor(x, [1, 1, x.Length], torch.float64);

        using var y = ReferenceStages.Activation(input, ctx);

        y.data<double>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-15);
    }
}
