using Harness.Diagnosis.Invariants;

namespace Harness.Tests.Diagnosis.Invariants;

public sealed class InvariantElementTests
{
    private static readonly LayerShape Shape = InvariantTensors.Awkward;
    private static readonly InvariantContext Relu = new() { Activation = Activation.Relu };

    // Each case: one element of a random tensor set to a value the invariant rejects, and where the detail must point.
    [TestCase(TensorNames.Output, ElementType.Float16, (1 * 15) + 2, 70000.0, InvariantNames.Fp16Range, new long[] { 0, 1, 2 }, TestName = "Check_Float16ValueBeyondRange_FailsNamingIndex")]
    [TestCase(TensorNames.AttnDense, ElementType.Float32, 0, double.NegativeInfinity, InvariantNames.Finite, new long[] { 0, 0, 0 }, TestName = "Check_Float32Infinity_FailsFinite")]
    public void Check_OneBadElement_FailsNamingIt(string tensorName, ElementType dtype, int flatIndex, double value, string invariant, long[] index)
    {
        var tensor = InvariantTensors.Random(tensorName, Shape, dtype, seed: 3);
        tensor.Data[flatIndex] = value;

        var result = InvariantTensors.CheckAlone(tensorName, tensor, Shape, new InvariantContext(), invariant);

        result.Status.Should().Be(InvariantStatus.Failed);
        var detail = result.Detail.Should().BeOfType<ValuesChecked>().Subject;
        detail.Failures.Should().Be(1);
        detail.Tensor.Should().Be(tensorName);
        detail.FirstFailingIndex.Should().Equal(index);
        detail.FirstFailingValue.Should().Be(value);
        detail.Float16Limit.Should().Be(dtype == ElementType.Float16 ? 65504 : null);
    }

    [Test]
    public void Check_QkvStackOfItsParts_PassesAndFailsWhenOnePartDiffers()
    {
        var q = InvariantTensors.Random(TensorNames.AttnQ, Shape, ElementType.Float16, seed: 1);
        var k = InvariantTensors.Random(TensorNames.AttnK, Shape, ElementType.Float16, seed: 2);
        var v = InvariantTensors.Random(TensorNames.AttnV, Shape, ElementType.Float16, seed: 3);
        var qkv = new HostTensor(TensorNames.ShapeOf(TensorNames.AttnQkv, Shape), [.. q.Data, .. k.Data, .. v.Data], ElementType.Float16);
        var tensors = new Dictionary<string, HostTensor> { [TensorNames.AttnQ] = q, [TensorNames.AttnK] = k, [TensorNames.AttnV] = v, [TensorNames.AttnQkv] = qkv };

        InvariantTensors.Single(InvariantChecker.Check(tensors, Shape, new InvariantContext()), InvariantNames.QkvStack, TensorNames.AttnQkv)
            .Status.Should().Be(InvariantStatus.Passed);

        v.Data[4] += 0.125;
        var failed = InvariantTensors.Single(InvariantChecker.Check(tensors, Shape, new InvariantContext()), InvariantNames.QkvStack, TensorNames.AttnQkv);
        failed.Status.Should().Be(InvariantStatus.Failed);
        var deviations = failed.Detail.Should().BeOfType<DeviationsChecked>().Subject;
        deviations.Failures.Should().Be(1);
        var mismatch = deviations.Worst.Should().BeOfType<StackMismatch>().Subject;
        mismatch.StackedIndex.Should().Equal(2, 0, 0, 4);
        mismatch.Part.Should().Be(TensorNames.AttnV);
        mismatch.PartIndex.Should().Equal(0, 0, 0, 4);
        mismatch.PartValue.Should().Be(v.Data[4]);
    }

    [Test]
    public void Check_QkvWithoutParts_IsNotApplicable()
    {
        var qkv = InvariantTensors.Random(TensorNames.AttnQkv, Shape, ElementType.Float16, seed: 1);

        var result = InvariantTensors.CheckAlone(TensorNames.AttnQkv, qkv, Shape, new InvariantContext(), InvariantNames.QkvStack);

        result.Status.Should().Be(InvariantStatus.NotApplicable);
        result.Detail.Should().BeOfType<TensorsNotGiven>().Which.Tensors.Should().Equal(TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV);
    }

    [Test]
    public void Check_ReluOutputs_PassWhenTheyAreReluOfTheLinear()
    {
        var linear = InvariantTensors.Random(TensorNames.FfnFc1Linear, Shape, ElementType.Float16, seed: 4);
        var fc1 = new HostTensor(linear.Shape, linear.Data.Select(v => Math.Max(v, 0)).ToArray(), ElementType.Float16);
        var tensors = new Dictionary<string, HostTensor> { [TensorNames.FfnFc1Linear] = linear, [TensorNames.FfnFc1] = fc1 };

        var results = InvariantChecker.Check(tensors, Shape, Relu);

        InvariantTensors.ShouldPass(results, TensorNames.FfnFc1, InvariantNames.ReluNonNegative, InvariantNames.ReluOfLinear);
    }

    [Test]
    public void Check_NegativeReluOutput_FailsNamingElement()
    {
        var fc1 = HostTensor.Filled(TensorNames.ShapeOf(TensorNames.FfnFc1, Shape), 0.5, ElementType.Float16);
        fc1.Data[2 * 11 + 9] = -0.75;

        var result = InvariantTensors.CheckAlone(TensorNames.FfnFc1, fc1, Shape, Relu, InvariantNames.ReluNonNegative);

        result.Status.Should().Be(InvariantStatus.Failed);
        var worst = result.Detail.Should().BeOfType<DeviationsChecked>().Which.Worst.Should().BeOfType<ElementValue>().Subject;
        worst.Tensor.Should().Be(TensorNames.FfnFc1);
        worst.Index.Should().Equal(0, 2, 9);
        worst.Value.Should().Be(-0.75);
        result.Worst.Should().Be(0.75);
    }

    [Test]
    public void Check_GeluContext_ReportsReluChecksNotApplicable()
    {
        var fc1 = HostTensor.Filled(TensorNames.ShapeOf(TensorNames.FfnFc1, Shape), -0.1, ElementType.Float16);

        var results = InvariantChecker.Check(new Dictionary<string, HostTensor> { [TensorNames.FfnFc1] = fc1 }, Shape, new InvariantContext { Activation = Activation.GeluErf });

        var relu = InvariantTensors.Single(results, InvariantNames.ReluNonNegative, TensorNames.FfnFc1);
        relu.Status.Should().Be(InvariantStatus.NotApplicable);
        relu.Detail.Should().Be(new ActivationNotRelu(Activation.GeluErf));
    }

    [Test]
    public void Check_NothingGiven_RunsNothingAndPassesNothing()
    {
        var results = InvariantChecker.Check(new Dictionary<string, HostTensor>(), Shape, Relu);

        results.Should().NotBeEmpty();
        results.Should().OnlyContain(r => r.Status == InvariantStatus.NotApplicable);
    }
}
