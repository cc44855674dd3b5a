using Harness.Reference;

namespace Harness.Tests.Reference;

/// <summary>The whole layer with emulated fp16 tensor-core accumulation (the AccumulationModel seam).</summary>
public sealed class Fp16AccumulationLayerTests
{
    // Reductions here are 5 to 15 long, so groups of 2 are needed for the fp16 accumulator to round inside a GEMM.
    private static readonly LayerShape Shape = new(1, 7, 3, 5, 9);

    [Test]
    public void Forward_SouffleWithGroupOfTwoAccumulation_IsCloseToWideButNotEqual()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 71).RoundedTo(ElementType.Float16);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 72).RoundedTo(ElementType.Float16);
        var emulated = LayerSemantics.Souffle with { Accumulation = new AccumulationModel(2) };
        using var wide = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.Souffle, Shape).In(ElementType.Float64));

        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(emulated, Shape).In(ElementType.Float64));

        foreach (var name in new[] { TensorNames.AttnQ, TensorNames.AttnScoresRaw, TensorNames.AttnContext, TensorNames.FfnFc2Linear })
        {
            trace.ToHost(name).Data.Should().AllSatisfy(x => x.Should().Be((double)(Half)x), because: $"{name} leaves an fp16 accumulator");
        }

        var a = trace.ToHost(TensorNames.Output).Data;
        var b = wide.ToHost(TensorNames.Output).Data;
        var maxDifference = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        maxDifference.Should().BeGreaterThan(0.0).And.BeLessThan(0.1);
    }
}
