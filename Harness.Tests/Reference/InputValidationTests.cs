using Harness.Reference;

namespace Harness.Tests.Reference;

/// <summary>Bad inputs are refused with one error naming what is wrong.</summary>
public sealed class InputValidationTests
{
    private static readonly LayerShape Shape = ReferenceTestData.Awkward;

    [Test]
    public void Forward_HiddenOfWrongRank_ThrowsNamingHiddenStates()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 51);
        var inputs = new LayerInputs(HostTensor.Filled([Shape.Sequence, Shape.Model], 0.0, ElementType.Float64));

        Act(inputs, weights).Should().Throw<ArgumentException>().WithMessage("*hidden states*[5, 12]*");
    }

    [Test]
    public void Forward_MaskOfWrongShape_ThrowsNamingMask()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 52);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 53) with { AttentionMask = HostTensor.Filled([Shape.Batch, Shape.Sequence + 1], 0.0, ElementType.Float64) };

        Act(inputs, weights).Should().Throw<ArgumentException>().WithMessage("*attention mask*[2, 6]*");
    }

    [Test]
    public void Forward_WeightOfWrongShape_ThrowsNamingTheParameter()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 54) with { KeyBias = HostTensor.Filled([Shape.Model + 1], 0.0, ElementType.Float64) };
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 55);

        Act(inputs, weights).Should().Throw<ArgumentException>().WithMessage("*attention.self.key.bias*");
    }

    [Test]
    public void Forward_UnknownDevice_ThrowsNamingDevice()
    {
        var options = ReferenceTestData.Options(LayerSemantics.HuggingFace, Shape).In(ElementType.Float64) with { Device = "tpu" };

        Act(options, seed: 56).Should().Throw<ArgumentException>().WithMessage("*'tpu'*");
    }

    [Test]
    public void Forward_HeadsNotDividingModelWidth_ThrowsNamingHeads()
    {
        var options = ReferenceTestData.Options(LayerSemantics.HuggingFace, Shape).In(ElementType.Float64) with { Heads = 5 };

        Act(options, seed: 58).Should().Throw<ArgumentException>().WithMessage("*Heads = 5*M = 12*");
    }

    [Test]
    public void Forward_NoHeadsAndWidthNotMultipleOf64_ThrowsAskingForHeads()
    {
        var options = new ReferenceOptions(LayerSemantics.HuggingFace, ElementType.Float64);

        Act(options, seed: 60).Should().Throw<ArgumentException>().WithMessage("*M = 12*ReferenceOptions.Heads*");
    }

    [Test]
    public void Forward_NonPositiveSplitK_ThrowsNamingSemanticsField()
    {
        var options = ReferenceTestData.Options(LayerSemantics.Souffle with { Fc2SplitK = 0 }, Shape).In(ElementType.Float64);

        Act(options, seed: 62).Should().Throw<ArgumentException>().WithMessage("*Fc2SplitK*");
    }

    /// <summary>A forward pass with these options over random weights (<paramref name="seed"/>) and inputs (the next seed).</summary>
    private static Func<LayerTrace> Act(ReferenceOptions options, int seed)
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed + 1);
        return () => BertLayerReference.Forward(inputs, weights, options);
    }

    private static Func<LayerTrace> Act(LayerInputs inputs, LayerWeights weights) =>
        () => BertLayerReference.Forward(Shape, inputs, weights, ReferenceTestData.Options(LayerSemantics.HuggingFace, Shape).In(ElementType.Float64));
}
