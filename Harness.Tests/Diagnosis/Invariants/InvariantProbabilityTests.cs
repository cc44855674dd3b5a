using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

public sealed class InvariantProbabilityTests
{
    private static readonly InvariantContext Context = new();

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(InvariantTensors.Awkward, ElementType.Float16).SetArgDisplayNames("S7H3D5", "fp16");
        yield return new TestCaseData(InvariantTensors.Round, ElementType.Float16).SetArgDisplayNames("S64H4D16", "fp16");
        yield return new TestCaseData(InvariantTensors.Round, ElementType.Float32).SetArgDisplayNames("S64H4D16", "fp32");
        yield return new TestCaseData(InvariantTensors.Awkward, ElementType.BFloat16).SetArgDisplayNames("S7H3D5", "bf16");
    }

    [TestCaseSource(nameof(Shapes))]
    public void Check_ValidSoftmax_PassesRowSumAndRange(LayerShape shape, ElementType dtype)
    {
        var tensors = new Dictionary<string, HostTensor> { [TensorNames.AttnProbs] = InvariantTensors.Probabilities(shape, dtype) };

        var results = InvariantChecker.Check(tensors, shape, Context);

        InvariantTensors.ShouldPass(results, TensorNames.AttnProbs, InvariantNames.ProbabilityRowSum, InvariantNames.ProbabilityRange);
    }

    [Test]
    public void Check_OneProbabilityRaised_FailsNamingRowAndSum()
    {
        var shape = InvariantTensors.Awkward;
        var probs = InvariantTensors.Probabilities(shape, ElementType.Float16);
        var row = (0 * 3 + 1) * 7 + 5;
        probs.Data[row * 7 + 2] += 0.0625;

        var result = InvariantTensors.CheckAlone(TensorNames.AttnProbs, probs, shape, Context, InvariantNames.ProbabilityRowSum);

        result.Status.Should().Be(InvariantStatus.Failed);
        var deviations = result.Detail.Should().BeOfType<DeviationsChecked>().Subject;
        (deviations.Failures, deviations.Checked).Should().Be((1L, 21L));
        var worst = deviations.Worst.Should().BeOfType<RowSum>().Subject;
        worst.Row.Should().Be(new RowPosition(0, 1, 5));
        worst.Sum.Should().BeInRange(1.06, 1.07);
        result.Worst.Should().BeApproximately(0.0625, 2e-3);
    }

    [Test]
    public void Check_NegativeProbability_FailsRangeNamingElement()
    {
        var shape = InvariantTensors.Awkward;
        var probs = InvariantTensors.Probabilities(shape, ElementType.Float16);
        probs.Data[3 * 7 + 4] = -0.25;

        var result = InvariantTensors.CheckAlone(TensorNames.AttnProbs, probs, shape, Context, InvariantNames.ProbabilityRange);

        result.Status.Should().Be(InvariantStatus.Failed);
        var worst = result.Detail.Should().BeOfType<DeviationsChecked>().Which.Worst.Should().BeOfType<ElementValue>().Subject;
        (worst.Tensor, worst.Value).Should().Be((TensorNames.AttnProbs, -0.25));
        worst.Index.Should().Equal(0, 0, 3, 4);
    }

    [Test]
    public void Check_NaNProbability_FailsEvenThoughOtherRowsPass()
    {
        var shape = InvariantTensors.Awkward;
        var probs = InvariantTensors.Probabilities(shape, ElementType.Float16);
        probs.Data[10] = double.NaN;

        var results = InvariantChecker.Check(new Dictionary<string, HostTensor> { [TensorNames.AttnProbs] = probs }, shape, Context);

        var rowSum = InvariantTensors.Single(results, InvariantNames.ProbabilityRowSum, TensorNames.AttnProbs);
        rowSum.Status.Should().Be(InvariantStatus.Failed);
        double.IsNaN(rowSum.Worst).Should().BeTrue();
        var worst = rowSum.Detail.Should().BeOfType<DeviationsChecked>().Which.Worst.Should().BeOfType<RowSum>().Subject;
        worst.Row.Should().Be(new RowPosition(0, 0, 1));
        double.IsNaN(worst.Sum).Should().BeTrue();
        InvariantTensors.Single(results, InvariantNames.Fp16Range, TensorNames.AttnProbs).Status.Should().Be(InvariantStatus.Failed);
    }

    [Test]
    public void Check_SoftmaxRowSums_PassWhenPositiveAndFailOnZero()
    {
        var shape = InvariantTensors.Awkward;
        var sums = HostTensor.Filled([3, 7], 2.5, ElementType.Float32);
        var tensors = new Dictionary<string, HostTensor> { [TensorNames.AttnSoftmaxRowSum] = sums };

        InvariantTensors.Single(InvariantChecker.Check(tensors, shape, Context), InvariantNames.SoftmaxRowSumPositive, TensorNames.AttnSoftmaxRowSum)
            .Status.Should().Be(InvariantStatus.Passed);

        sums.Data[2 * 7 + 6] = 0;
        var failed = InvariantTensors.Single(InvariantChecker.Check(tensors, shape, Context), InvariantNames.SoftmaxRowSumPositive, TensorNames.AttnSoftmaxRowSum);
        failed.Status.Should().Be(InvariantStatus.Failed);
        failed.Detail.Should().Be(new RowSumsChecked(1, 21, new RowPosition(0, 2, 6), 0, 0));
    }

    [Test]
    public void ProbabilityRowSum_Float16AtBert384_IsAboutTwoThousandths()
    {
        InvariantTolerances.ProbabilityRowSum(ElementType.Float16, 384).Should().BeInRange(1.9e-3, 2.1e-3);
    }
}
