using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>Stage metadata and stage isolation: rerunning a stage on the trace's own upstream tensors.</summary>
public sealed class StageCatalogTests
{
    private static readonly LayerShape Shape = ReferenceTestData.Awkward;

    // The CPU float64 matmul is not bit-reproducible between calls (a rerun on the same operands was seen to differ in
    // the last ulp for some rows), so stage isolation agrees to a few ulps, not bit for bit.
    private const double RecomputeTolerance = 1e-14;

    [Test]
    public void Stages_EveryProducedName_HasExactlyOneProducerWhoseInputsComeEarlier()
    {
        foreach (var name in TensorNames.Produced)
        {
            StageCatalog.Stages.Count(s => s.Produces.Contains(name)).Should().Be(1, because: name);
            var stage = StageCatalog.ProducerOf(name);
            stage.Consumes.Should().AllSatisfy(c => TensorNames.OrderOf(c).Should().BeLessThan(TensorNames.OrderOf(name), because: $"{stage.Name} reads {c} to produce {name}"));
        }

        StageCatalog.ProducerOf(TensorNames.AttnContext).Consumes.Should().Equal(TensorNames.AttnProbs, TensorNames.AttnV);
    }

    [TestCase("huggingface")]
    [TestCase("souffle")]
    public void Recompute_EachStageFromTraceUpstream_ReproducesTheTrace(string preset)
    {
        var semantics = LayerSemantics.Preset(preset);
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 41);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 42, padLastKeys: 2);
        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(semantics, Shape).In(ElementType.Float64));
        using var ctx = StageContext.Create(Shape, weights, inputs.AttentionMask, semantics, ElementType.Float64, "cpu");
        var upstream = LayerTrace.Names.ToDictionary(n => n, trace.Tensor);

        foreach (var stage in StageCatalog.Stages)
        {
            var produced = StageCatalog.Recompute(stage.Name, upstream, ctx);

            produced.Keys.Should().BeEquivalentTo(stage.Produces);
            foreach (var (name, tensor) in produced)
            {
                using (tensor)
                {
                    tensor.dtype.Should().Be(trace.Tensor(name).dtype, because: name);
                    tensor.data<double>().ToArray().Should().Equal(trace.ToHost(name).Data, (a, b) => Math.Abs(a - b) <= RecomputeTolerance * Math.Max(1.0, Math.Abs(b)), because: $"{stage.Name} recomputes {name}");
                }
            }
        }
    }

    [Test]
    public void Recompute_FromPerturbedUpstream_ChangesOnlyThroughThatInput()
    {
        var semantics = LayerSemantics.HuggingFace;
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 43);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 44);
        using var trace = BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(semantics, Shape).In(ElementType.Float64));
        using var ctx = StageContext.Create(Shape, weights, null, semantics, ElementType.Float64, "cpu");
        using var doubledV = trace.Tensor(TensorNames.AttnV) * 2.0;

        var produced = StageCatalog.Recompute(StageNames.Context, new Dictionary<string, torch.Tensor> { [TensorNames.AttnProbs] = trace.Tensor(TensorNames.AttnProbs), [TensorNames.AttnV] = doubledV }, ctx);

        using var context = produced[TensorNames.AttnContext];
        using var expected = trace.Tensor(TensorNames.AttnContext) * 2.0;
        context.allclose(expected, rtol: 1e-14, atol: 1e-15).Should().BeTrue();
    }

    [Test]
    public void Recompute_MissingUpstream_ThrowsNamingStageAndTensor()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 45);
        using var ctx = StageContext.Create(Shape, weights, null, LayerSemantics.HuggingFace, ElementType.Float64, "cpu");
        using var probs = torch.zeros(Shape.Batch, Shape.Heads, Shape.Sequence, Shape.Sequence, dtype: torch.float64);

        var act = () => StageCatalog.Recompute(StageNames.Context, new Dictionary<string, torch.Tensor> { [TensorNames.AttnProbs] = probs }, ctx);

        act.Should().Throw<ArgumentException>().WithMessage("*Context*'attn.v'*");
    }

    [Test]
    public void Stage_UnknownName_ThrowsListingKnownStages()
    {
        var act = () => StageCatalog.Stage("Attention");

        act.Should().Throw<ArgumentException>().WithMessage("*'Attention'*Projections*");
    }
}
