using Harness.Reference;

namespace Harness.Tests.Reference;

/// <summary>The TorchSharp reference in float64 against the independent loop implementation, on every intermediate.</summary>
public sealed class LoopLayerAgreementTests
{
    // Both compute the same float64 expressions in different orders (matmul blocking, reciprocal-then-multiply), so
    // they differ by a few ulps of the operands; fp16 rounding points land on the same side unless a value sits within
    // ~1e-16 of an fp16 midpoint, which random data does not do.
    private const double RelativeTolerance = 1e-12;

    private static IEnumerable<TestCaseData> Presets()
    {
        yield return new TestCaseData(LayerSemantics.HuggingFace).SetArgDisplayNames("huggingface");
        yield return new TestCaseData(LayerSemantics.Souffle).SetArgDisplayNames("souffle");
    }

    [TestCaseSource(nameof(Presets))]
    public void Forward_Float64AwkwardShapeWithPadding_MatchesLoopLayerOnEveryIntermediate(LayerSemantics semantics)
    {
        var shape = ReferenceTestData.Awkward;
        var weights = ReferenceTestData.RandomWeights(shape, seed: 11);
        var inputs = ReferenceTestData.RandomInputs(shape, seed: 12, padLastKeys: 2);

        var expected = LoopBertLayer.Compute(shape, inputs, weights, semantics);
        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(semantics, shape).In(ElementType.Float64));

        LayerTrace.Names.Should().Equal(TensorNames.DataflowOrder);
        foreach (var name in LayerTrace.Names)
        {
            var actual = trace.ToHost(name);
            actual.Shape.Should().Equal(TensorNames.ShapeOf(name, shape), because: name);
            actual.Dtype.Should().Be(ElementType.Float64, because: name);
            var want = expected[name];
            actual.Data.Should().HaveCount(want.Length, because: name);
            for (var i = 0; i < want.Length; i++)
            {
                double.IsFinite(actual.Data[i]).Should().BeTrue(because: $"{name}[{i}] must be finite");
                Math.Abs(actual.Data[i] - want[i]).Should().BeLessThanOrEqualTo(RelativeTolerance * Math.Max(1.0, Math.Abs(want[i])), because: $"{name}[{i}]: reference {actual.Data[i]} vs loop {want[i]}");
            }
        }
    }

    [Test]
    public void Forward_SouffleTenFc2KTiles_MatchesLoopLayerOnFc2AndOutput()
    {
        // F = 160: ten 16-wide k-tiles, so FC2's four parts interleave (tiles 0, 4, 8 | 1, 5, 9 | 2, 6 | 3, 7).
        var shape = new LayerShape(1, 3, 2, 4, 160);
        var weights = ReferenceTestData.RandomWeights(shape, seed: 13);
        var inputs = ReferenceTestData.RandomInputs(shape, seed: 14);

        var expected = LoopBertLayer.Compute(shape, inputs, weights, LayerSemantics.Souffle);
        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.Souffle, shape).In(ElementType.Float64));

        foreach (var name in new[] { TensorNames.FfnFc2Linear, TensorNames.Output })
        {
            var actual = trace.ToHost(name).Data;
            var want = expected[name];
            for (var i = 0; i < want.Length; i++)
            {
                Math.Abs(actual[i] - want[i]).Should().BeLessThanOrEqualTo(RelativeTolerance * Math.Max(1.0, Math.Abs(want[i])), because: $"{name}[{i}]: reference {actual[i]} vs loop {want[i]}");
            }
        }
    }

    [Test]
    public void Forward_SoufflePreset_DiffersFromHuggingFaceOnOutput()
    {
        var shape = ReferenceTestData.Awkward;
        var weights = ReferenceTestData.RandomWeights(shape, seed: 11);
        var inputs = ReferenceTestData.RandomInputs(shape, seed: 12);

        using var hf = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.HuggingFace, shape).In(ElementType.Float64));
        using var souffle = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.Souffle, shape).In(ElementType.Float64));

        var a = hf.ToHost(TensorNames.Output).Data;
        var b = souffle.ToHost(TensorNames.Output).Data;
        a.Zip(b, (x, y) => Math.Abs(x - y)).Max().Should().BeGreaterThan(1e-2);
    }
}
