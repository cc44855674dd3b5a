using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

public sealed class InvariantInputTests
{
    private static readonly LayerShape Shape = InvariantTensors.Awkward;

    [Test]
    public void Check_TensorOfWrongShape_NamesTensorAndShapes()
    {
        var tensors = new Dictionary<string, HostTensor> { [TensorNames.AttnProbs] = HostTensor.Filled([1, 3, 7, 8], 0.125, ElementType.Float16) };

        var act = () => InvariantChecker.Check(tensors, Shape, new InvariantContext());

        act.Should().Throw<ArgumentException>().WithMessage("attn.probs: shape [1, 3, 7, 8], expected [1, 3, 7, 7]*");
    }

    [Test]
    public void Check_UnknownTensorName_NamesIt()
    {
        var tensors = new Dictionary<string, HostTensor> { ["attn.softmax"] = HostTensor.Filled([1], 0, ElementType.Float16) };

        var act = () => InvariantChecker.Check(tensors, Shape, new InvariantContext());

        act.Should().Throw<ArgumentException>().WithMessage("'attn.softmax' is not a canonical tensor name*");
    }

    [Test]
    public void Check_GammaOfWrongWidth_NamesTheContextField()
    {
        var ctx = new InvariantContext { OutputLayerNorm = LayerNormAffine.PerChannel(new double[14], new double[14]) };

        var act = () => InvariantChecker.Check(new Dictionary<string, HostTensor>(), Shape, ctx);

        act.Should().Throw<ArgumentException>().WithMessage("invariant context: OutputLayerNorm: gamma and beta have 14 values, expected M = 15");
    }

    [Test]
    public void Check_NegativeEps_NamesIt()
    {
        var act = () => InvariantChecker.Check(new Dictionary<string, HostTensor>(), Shape, new InvariantContext { LayerNormEps = -1 });

        act.Should().Throw<ArgumentException>().WithMessage("invariant context: LayerNormEps must be finite and ≥ 0, got -1");
    }

    [Test]
    public void PerChannel_GammaAndBetaOfDifferentLengths_NamesBoth()
    {
        var act = () => LayerNormAffine.PerChannel(new double[3], new double[4]);

        act.Should().Throw<ArgumentException>().WithMessage("LayerNorm gamma has 3 values but beta has 4");
    }
}
