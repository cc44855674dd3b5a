using Harness.Reference;

namespace Harness.Tests.Reference;

/// <summary>float32, float16 and bfloat16 runs: complete, finite, typed as specified, close to float64.</summary>
public sealed class LowPrecisionRunTests
{
    private static readonly LayerShape Shape = ReferenceTestData.Awkward;

    // Output is LayerNorm-scaled (|y| of order 1–3): bounds are a few hundred units in the last place of each dtype,
    // enough for ~6 chained roundings per value yet far below the O(1) error of a wrong formula.
    [TestCase("huggingface", ElementType.Float32, 1e-5)]
    [TestCase("huggingface", ElementType.Float16, 0.05)]
    [TestCase("huggingface", ElementType.BFloat16, 0.3)]
    [TestCase("souffle", ElementType.Float32, 0.02)]
    [TestCase("souffle", ElementType.Float16, 0.05)]
    [TestCase("souffle", ElementType.BFloat16, 0.3)]
    public void Forward_LowerDtype_ProducesEveryNameFiniteAndNearFloat64(string preset, ElementType dtype, double outputBound)
    {
        var semantics = LayerSemantics.Preset(preset);
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 31);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 32, padLastKeys: 1);
        using var truth = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(semantics, Shape).In(ElementType.Float64));

        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(semantics, Shape).In(dtype));

        LayerTrace.Names.Should().Equal(TensorNames.DataflowOrder);
        trace.Dtype.Should().Be(dtype);
        foreach (var name in LayerTrace.Names)
        {
            var host = trace.ToHost(name);
            host.Dtype.Should().Be(TensorNames.IsFloat32Accumulator(name) ? ElementType.Float32 : dtype, because: name);
            host.Shape.Should().Equal(TensorNames.ShapeOf(name, Shape), because: name);
            host.Data.Should().AllSatisfy(x => double.IsFinite(x).Should().BeTrue(), because: $"{name} must be finite");
        }

        var output = trace.ToHost(TensorNames.Output).Data;
        var expected = truth.ToHost(TensorNames.Output).Data;
        output.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(outputBound);
    }

    [Test]
    public void Forward_Float16Run_StoresValuesRepresentableInHalf()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 33);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 34);

        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.HuggingFace, Shape).In(ElementType.Float16));

        trace.ToHost(TensorNames.AttnContext).Data.Should().AllSatisfy(x => x.Should().Be((double)(Half)x));
    }
}
