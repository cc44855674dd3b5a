using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

public sealed class InvariantLayerNormTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(InvariantTensors.Awkward).SetArgDisplayNames("S7H3D5");
        yield return new TestCaseData(InvariantTensors.Round).SetArgDisplayNames("S64H4D16");
    }

    private static (Dictionary<string, HostTensor> Tensors, InvariantContext Context) HuggingFaceLike(LayerShape shape, ElementType dtype)
    {
        var (gamma, beta) = InvariantTensors.PerChannelAffine(shape.Model, seed: 5);
        var affine = LayerNormAffine.PerChannel(gamma, beta);
        var ctx = new InvariantContext { AttentionLayerNorm = affine, LayerNormEps = 1e-12 };
        return (InvariantTensors.AttentionLayerNorm(shape, dtype, affine, 1e-12, residualInFp16: false), ctx);
    }

    [TestCaseSource(nameof(Shapes))]
    public void Check_ValidPerChannelLayerNormInFp16_HasMeanZeroVarianceOne(LayerShape shape)
    {
        var (tensors, ctx) = HuggingFaceLike(shape, ElementType.Float16);

        var results = InvariantChecker.Check(tensors, shape, ctx);

        InvariantTensors.ShouldPass(results, TensorNames.AttnOutput, InvariantNames.LayerNormMean, InvariantNames.LayerNormVariance);
    }

    [Test]
    public void Check_ValidLayerNormWithoutResidualInputs_StillChecksStatistics()
    {
        var shape = InvariantTensors.Awkward;
        var (tensors, ctx) = HuggingFaceLike(shape, ElementType.Float32);
        tensors.Remove(TensorNames.AttnDense);

        var results = InvariantChecker.Check(tensors, shape, ctx);

        InvariantTensors.Single(results, InvariantNames.LayerNormVariance, TensorNames.AttnOutput).Status.Should().Be(InvariantStatus.Passed);
    }

    [Test]
    public void Check_OneOutputValueMoved_FailsMeanNamingRow()
    {
        var shape = InvariantTensors.Awkward;
        var (tensors, ctx) = HuggingFaceLike(shape, ElementType.Float16);
        tensors[TensorNames.AttnOutput].Data[4 * 15 + 3] += 0.5;

        var results = InvariantChecker.Check(tensors, shape, ctx);

        var mean = InvariantTensors.Single(results, InvariantNames.LayerNormMean, TensorNames.AttnOutput);
        mean.Status.Should().Be(InvariantStatus.Failed);
        var deviations = mean.Detail.Should().BeOfType<DeviationsChecked>().Subject;
        (deviations.Failures, deviations.Checked, deviations.Unit).Should().Be((1L, 7L, "rows"));
        deviations.Worst.Should().BeOfType<RowMean>().Which.Row.Should().Be(new RowPosition(0, null, 4));
        var rebuilt = InvariantTensors.Single(results, InvariantNames.OutputFromSums, TensorNames.AttnOutput).Detail
            .Should().BeOfType<DeviationsChecked>().Which.Worst.Should().BeOfType<OutputMismatch>().Subject;
        (rebuilt.Row, rebuilt.Channel).Should().Be((new RowPosition(0, null, 4), 3));
    }

    [Test]
    public void Check_OutputScaledByTwo_FailsVarianceNamingValue()
    {
        var shape = InvariantTensors.Awkward;
        var ctx = new InvariantContext { AttentionLayerNorm = LayerNormAffine.Identity };
        var tensors = InvariantTensors.AttentionLayerNorm(shape, ElementType.Float16, LayerNormAffine.Identity, 1e-12, residualInFp16: false);
        var y = tensors[TensorNames.AttnOutput].Data;
        for (var c = 0; c < 15; c++)
        {
            y[2 * 15 + c] *= 2;
        }

        var variance = InvariantTensors.Single(InvariantChecker.Check(tensors, shape, ctx), InvariantNames.LayerNormVariance, TensorNames.AttnOutput);

        variance.Status.Should().Be(InvariantStatus.Failed);
        var worst = variance.Detail.Should().BeOfType<DeviationsChecked>().Which.Worst.Should().BeOfType<RowVariance>().Subject;
        worst.Row.Should().Be(new RowPosition(0, null, 2));
        worst.Variance.Should().BeApproximately(4, 1e-2);
        variance.Worst.Should().BeApproximately(3, 0.05);
    }

    [Test]
    public void Check_ZeroGamma_IsNotApplicableRatherThanPassed()
    {
        var shape = InvariantTensors.Awkward;
        var gamma = Enumerable.Repeat(1.0, 15).ToArray();
        gamma[6] = 0;
        var affine = LayerNormAffine.PerChannel(gamma, new double[15]);
        var tensors = InvariantTensors.AttentionLayerNorm(shape, ElementType.Float32, affine, 1e-12, residualInFp16: false);

        var results = InvariantChecker.Check(tensors, shape, new InvariantContext { AttentionLayerNorm = affine });

        var mean = InvariantTensors.Single(results, InvariantNames.LayerNormMean, TensorNames.AttnOutput);
        mean.Status.Should().Be(InvariantStatus.NotApplicable);
        mean.Passed.Should().BeFalse();
        mean.Detail.Should().BeOfType<ZeroGamma>().Which.Channels.Should().Equal(6);
    }

    [Test]
    public void Check_NoAffineInContext_IsNotApplicable()
    {
        var shape = InvariantTensors.Awkward;
        var (tensors, _) = HuggingFaceLike(shape, ElementType.Float32);

        var results = InvariantChecker.Check(tensors, shape, new InvariantContext());

        InvariantTensors.Single(results, InvariantNames.LayerNormVariance, TensorNames.AttnOutput).Status.Should().Be(InvariantStatus.NotApplicable);
        InvariantTensors.Single(results, InvariantNames.LayerNormMean, TensorNames.Output).Detail.Should().BeOfType<TensorsNotGiven>().Which.Tensors.Should().Equal(TensorNames.Output);
    }
}
