using Harness.Comparison;

namespace Harness.Tests.Comparison;

/// <summary>NaN and infinity never pass: not in the actual tensor (even where the truth has the same NaN), not in the truth.</summary>
public sealed class TensorComparerNonFiniteTests
{
    private static readonly Tolerance Generous = new(1, 1);

    [Test]
    public void Compare_NaNInActualWhereExpectedIsFinite_FailsAndPointsAtIt()
    {
        var expected = TestTensors.Vector(1, 2, 3, 4);
        var actual = TestTensors.Vector(1, 2, double.NaN, 100);

        var c = TensorComparer.Compare("attn.probs", actual, expected, Generous);

        c.Passed.Should().BeFalse();
        c.Reason.Should().Contain("1 NaN");
        c.Worst!.Flat.Should().Be(2, "a NaN outranks any finite error");
        c.MismatchCount.Should().Be(2);
        c.FinitePairCount.Should().Be(3);
        c.MaxAbs.Should().Be(96, "metrics measure the finite pairs");
        c.MinimalPassingAtol.Should().Be(double.PositiveInfinity);
        c.MinimalPassingRtol.Should().Be(double.PositiveInfinity);
    }

    [Test]
    public void Compare_SameNaNOnBothSides_StillFails()
    {
        var both = TestTensors.Vector(1, double.NaN);

        var c = TensorComparer.Compare("attn.probs", both, both, Generous);

        c.Passed.Should().BeFalse();
        c.MismatchCount.Should().Be(1);
    }

    [Test]
    public void Compare_InfinityInActual_Fails()
    {
        var c = TensorComparer.Compare("attn.softmax_rowsum", TestTensors.Vector(double.PositiveInfinity, 1), TestTensors.Vector(1e30, 1), Generous);

        c.Passed.Should().BeFalse();
        c.Reason.Should().Contain("1 infinite");
    }

    [Test]
    public void Compare_SameInfinityOnBothSides_Fails()
    {
        var both = TestTensors.Vector(double.NegativeInfinity, 0);

        TensorComparer.Compare("attn.scores", both, both, Generous).Passed.Should().BeFalse();
    }

    [Test]
    public void Compare_NaNOnlyInExpected_FailsBlamingTheTruth()
    {
        var c = TensorComparer.Compare("output", TestTensors.Vector(1, 2), TestTensors.Vector(1, double.NaN), Generous);

        c.Passed.Should().BeFalse();
        c.Reason.Should().Contain("expected has 1 NaN");
    }

    [Test]
    public void Compare_ShapesDiffer_FailsNamingBothShapes()
    {
        var actual = TestTensors.Of(ElementType.Float16, [1, 7, 15], new double[105]);
        var expected = TestTensors.Of(ElementType.Float64, [1, 7, 3, 5], new double[105]);

        var c = TensorComparer.Compare("attn.context", actual, expected, Generous);

        c.Passed.Should().BeFalse();
        c.ShapesMatch.Should().BeFalse();
        c.Reason.Should().Contain("attn.context").And.Contain("[1, 7, 15]").And.Contain("[1, 7, 3, 5]");
        c.MaxAbs.Should().Be(double.NaN);
        c.Worst.Should().BeNull();
    }

    [Test]
    public void Compare_EmptyTensors_FailsBecauseNothingWasCompared()
    {
        var empty = TestTensors.Of(ElementType.Float16, [0]);

        var c = TensorComparer.Compare("output", empty, empty, Generous);

        c.Passed.Should().BeFalse();
        c.Reason.Should().Contain("no elements");
    }

    [Test]
    public void Compare_NullActual_ThrowsNamingTheTensor()
    {
        var act = () => TensorComparer.Compare("attn.q", null!, TestTensors.Vector(1), Generous);

        act.Should().Throw<ArgumentNullException>().WithMessage("*actual*attn.q*");
    }
}
