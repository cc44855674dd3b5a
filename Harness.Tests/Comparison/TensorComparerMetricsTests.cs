using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class TensorComparerMetricsTests
{
    private static readonly Tolerance Loose = new(1e-3, 1e-3);

    [Test]
    public void Compare_IdenticalTensors_AllErrorsZeroAndCosineOne()
    {
        var t = TestTensors.Generate(ElementType.Float16, [7, 3, 5], i => Math.Sin(i));

        var c = TensorComparer.Compare("attn.q", t, t, Tolerance.Exact);

        c.Passed.Should().BeTrue();
        c.MaxAbs.Should().Be(0);
        c.MaxRel.Should().Be(0);
        c.MeanAbs.Should().Be(0);
        c.Rmse.Should().Be(0);
        c.RelativeL2.Should().Be(0);
        c.Cosine.Should().Be(1);
        c.MismatchCount.Should().Be(0);
        c.MismatchPercent.Should().Be(0);
        c.MaxUlpFp16.Should().Be(0);
        c.MinimalPassingAtol.Should().Be(0);
        c.MinimalPassingRtol.Should().Be(0);
        c.Worst!.Flat.Should().Be(0, "with no error anywhere the first element is as bad as any");
    }

    [Test]
    public void Compare_OnePerturbedElementOf2000_FindsItAndCountsOneMismatch()
    {
        var expected = TestTensors.Generate(ElementType.Float16, [8, 250], i => (i % 17) / 16.0);
        var actual = TestTensors.WithElement(expected, 1234, expected.Data[1234] + 0.5);

        var c = TensorComparer.Compare("attn.probs", actual, expected, Loose);

        c.Passed.Should().BeFalse();
        c.MismatchCount.Should().Be(1);
        c.MismatchPercent.Should().Be(0.05);
        c.MaxAbs.Should().Be(0.5);
        c.MeanAbs.Should().Be(0.5 / 2000);
        c.Rmse.Should().BeApproximately(Math.Sqrt(0.25 / 2000), 1e-15);
        c.Worst!.Flat.Should().Be(1234);
        c.Worst.Index.Should().Equal(4L, 234L);
        c.Worst.Expected.Should().Be(expected.Data[1234]);
        c.Worst.Actual.Should().Be(expected.Data[1234] + 0.5);
        c.MaxUlpFp16.Should().BeGreaterThan(0);
        c.Reason.Should().Contain("1 of 2000").And.Contain("[4, 234]");
    }

    [Test]
    public void Compare_ThreeValues_EveryMetricMatchesTheHandComputation()
    {
        // d = a − e = [0, −0.5, 1]
        var c = TensorComparer.Compare("attn.dense", TestTensors.Vector(1, 2, 3), TestTensors.Vector(1, 2.5, 2), Loose);

        c.MaxAbs.Should().Be(1);
        c.Worst!.Flat.Should().Be(2);
        c.MaxRel.Should().Be(0.5, "max(0.5/2.5, 1/2)");
        c.MeanAbs.Should().Be(0.5);
        c.Rmse.Should().BeApproximately(Math.Sqrt(1.25 / 3), 1e-15);
        c.RelativeL2.Should().BeApproximately(1.0 / 3, 1e-15, "√1.25 / √11.25");
        c.Cosine.Should().BeApproximately(12 / (Math.Sqrt(14) * Math.Sqrt(11.25)), 1e-15);
        c.MismatchCount.Should().Be(2);
        c.MaxUlpFp16.Should().Be(512, "fp16 steps are 2^-9 in [2, 4), so 2.5 → 2 is 256 steps and 2 → 3 is 512");
        c.MaxUlpFp32.Should().BeNull("the actual tensor is not float32");
    }

    [Test]
    public void Compare_ExpectedBelowSmallestNormal_LeavesItOutOfMaxRel()
    {
        var expected = TestTensors.Of(ElementType.Float64, [2], 1e-6, 1);
        var actual = TestTensors.Of(ElementType.Float16, [2], 0, 1.0009765625);

        var c = TensorComparer.Compare("attn.probs", actual, expected, Loose);

        c.MaxRel.Should().Be(0.0009765625, "1e-6 lies below fp16's smallest normal, so its 100% relative error is not counted");
    }

    [Test]
    public void Compare_Float32Actual_ReportsFp32Ulps()
    {
        var expected = TestTensors.Of(ElementType.Float32, [3], 1, 2, 4);
        var actual = TestTensors.Of(ElementType.Float32, [3], 1, MathF.BitIncrement(MathF.BitIncrement(2f)), 4);

        var c = TensorComparer.Compare("attn.ln_sum", actual, expected, Loose);

        c.MaxUlpFp32.Should().Be(2);
        c.MaxUlpFp16.Should().Be(0);
    }

    [Test]
    public void Compare_AwkwardShape_GivesTheWorstMultiIndex()
    {
        var expected = TestTensors.Generate(ElementType.Float16, [7, 3, 5], i => i / 128.0);
        var flat = (((4 * 3) + 2) * 5) + 3;
        var actual = TestTensors.WithElement(expected, flat, 9);

        var c = TensorComparer.Compare("attn.k", actual, expected, Loose);

        c.Worst!.Index.Should().Equal(4L, 2L, 3L);
        c.Shape.Should().Equal(7L, 3L, 5L);
    }

    [Test]
    public void Compare_ErrorsWithinTolerance_PassesWithAReasonSayingSo()
    {
        var c = TensorComparer.Compare("output", TestTensors.Vector(1.0005, 2), TestTensors.Vector(1, 2), Loose);

        c.Passed.Should().BeTrue();
        c.Reason.Should().Contain("all 2 elements within");
    }
}
