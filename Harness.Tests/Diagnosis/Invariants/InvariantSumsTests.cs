using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

public sealed class InvariantSumsTests
{
    private static readonly InvariantContext Souffle = InvariantContext.FromSemantics(LayerSemantics.Souffle);

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(InvariantTensors.Awkward).SetArgDisplayNames("S7H3D5");
        yield return new TestCaseData(InvariantTensors.Round).SetArgDisplayNames("S64H4D16");
    }

    private static Dictionary<string, HostTensor> SouffleLike(LayerShape shape) =>
        InvariantTensors.AttentionLayerNorm(shape, ElementType.Float16, LayerNormAffine.Scalar(1, 0), 1e-5, residualInFp16: true);

    [TestCaseSource(nameof(Shapes))]
    public void Check_SumsOfTheResidual_MatchAndRebuildTheOutput(LayerShape shape)
    {
        var results = InvariantChecker.Check(SouffleLike(shape), shape, Souffle);

        InvariantTensors.Single(results, InvariantNames.SumsConsistent, TensorNames.AttnLnSumSq).Status.Should().Be(InvariantStatus.Passed);
        InvariantTensors.Single(results, InvariantNames.SumsMatchInput, TensorNames.AttnLnSum).Status.Should().Be(InvariantStatus.Passed);
        InvariantTensors.Single(results, InvariantNames.SumsMatchInput, TensorNames.AttnLnSumSq).Status.Should().Be(InvariantStatus.Passed);
        InvariantTensors.Single(results, InvariantNames.OutputFromSums, TensorNames.AttnOutput).Status.Should().Be(InvariantStatus.Passed);
    }

    [Test]
    public void Check_SumOfOneRowWrong_FailsNamingRowAndBothValues()
    {
        var shape = InvariantTensors.Awkward;
        var tensors = SouffleLike(shape);
        tensors[TensorNames.AttnLnSum].Data[5] += 1.0;

        var results = InvariantChecker.Check(tensors, shape, Souffle);

        var sums = InvariantTensors.Single(results, InvariantNames.SumsMatchInput, TensorNames.AttnLnSum);
        sums.Status.Should().Be(InvariantStatus.Failed);
        var deviations = sums.Detail.Should().BeOfType<DeviationsChecked>().Subject;
        (deviations.Failures, deviations.Checked).Should().Be((1L, 7L));
        var mismatch = deviations.Worst.Should().BeOfType<SumMismatch>().Subject;
        (mismatch.Row, mismatch.SumTensor, mismatch.ResidualA, mismatch.ResidualB, mismatch.Squares)
            .Should().Be((new RowPosition(0, null, 5), TensorNames.AttnLnSum, TensorNames.AttnDense, TensorNames.Input, false));
        mismatch.Given.Should().Be(tensors[TensorNames.AttnLnSum].Data[5]);
        sums.Worst.Should().BeApproximately(1.0, 1e-5);
        InvariantTensors.Single(results, InvariantNames.OutputFromSums, TensorNames.AttnOutput).Status.Should().Be(InvariantStatus.Failed);
    }

    [Test]
    public void Check_SumsWithoutResidualInputs_ChecksOnlyConsistency()
    {
        var shape = InvariantTensors.Awkward;
        var tensors = SouffleLike(shape);
        tensors.Remove(TensorNames.Input);

        var results = InvariantChecker.Check(tensors, shape, Souffle);

        InvariantTensors.Single(results, InvariantNames.SumsConsistent, TensorNames.AttnLnSumSq).Status.Should().Be(InvariantStatus.Passed);
        var match = InvariantTensors.Single(results, InvariantNames.SumsMatchInput, TensorNames.AttnLnSum);
        match.Status.Should().Be(InvariantStatus.NotApplicable);
        match.Detail.Should().BeOfType<PairNotGiven>().Which.InputUnknown.Should().BeTrue();
    }

    [Test]
    public void Check_SumOfSquaresBelowSquaredSum_FailsConsistency()
    {
        var shape = InvariantTensors.Awkward;
        var tensors = new Dictionary<string, HostTensor>
        {
            [TensorNames.FfnLnSum] = new HostTensor([7], [1, 2, 3, 30, 5, 6, 7], ElementType.Float32),
            [TensorNames.FfnLnSumSq] = new HostTensor([7], [10, 10, 10, 10, 10, 10, 10], ElementType.Float32),
        };

        var result = InvariantTensors.Single(InvariantChecker.Check(tensors, shape, Souffle), InvariantNames.SumsConsistent, TensorNames.FfnLnSumSq);

        result.Status.Should().Be(InvariantStatus.Failed);
        result.Detail.Should().BeOfType<DeviationsChecked>().Which.Worst.Should().Be(new MomentsInconsistent(new RowPosition(0, null, 3), 30, 10, 60));
        result.Worst.Should().Be(50);
    }

    [Test]
    public void FromSemantics_HuggingFaceWithWeights_UsesPerChannelAffineAndEps()
    {
        var weights = WeightsWithGamma(InvariantTensors.Awkward, 2.0);

        var ctx = InvariantContext.FromSemantics(LayerSemantics.HuggingFace, weights);

        ctx.Activation.Should().Be(Activation.GeluErf);
        ctx.LayerNormEps.Should().Be(1e-12);
        ctx.AttentionLayerNorm!.IsScalar.Should().BeFalse();
        ctx.AttentionLayerNorm.Gamma(14).Should().Be(2.0);
        InvariantContext.FromSemantics(LayerSemantics.HuggingFace).AttentionLayerNorm.Should().BeNull("without weights the per-channel affine is unknown");
        Souffle.OutputLayerNorm!.IsScalar.Should().BeTrue();
        Souffle.ResidualInFp16.Should().BeTrue();
    }

    private static LayerWeights WeightsWithGamma(LayerShape s, double gamma) => LayerWeights.FromParameters(suffix =>
        HostTensor.Filled(LayerWeights.ExpectedShape(suffix, s), suffix.EndsWith("LayerNorm.weight", StringComparison.Ordinal) ? gamma : 0.0, ElementType.Float32));
}
