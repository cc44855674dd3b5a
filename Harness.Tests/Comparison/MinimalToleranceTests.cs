using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class MinimalToleranceTests
{
    private static (HostTensor Actual, HostTensor Expected) NoisyPair()
    {
        var expected = TestTensors.Generate(ElementType.Float64, [7, 3, 5], i => 5 + (Math.Sin(i * 0.7) * 3));
        var actual = TestTensors.Map(expected, ElementType.Float16, (i, e) => (double)(Half)(e + (Math.Cos(i * 1.3) * 0.01)));
        return (actual, expected);
    }

    [TestCase(0.0)]
    [TestCase(0.001)]
    [TestCase(0.002)]
    public void MinimalPassingAtol_UsedAsAtol_PassesAndNinetyNinePercentOfItFails(double rtol)
    {
        var (actual, expected) = NoisyPair();

        var atol = TensorComparer.Compare("attn.v", actual, expected, new Tolerance(0, rtol)).MinimalPassingAtol;

        atol.Should().BePositive();
        TensorComparer.Compare("attn.v", actual, expected, new Tolerance(atol, rtol)).Passed.Should().BeTrue();
        TensorComparer.Compare("attn.v", actual, expected, new Tolerance(atol * 0.99, rtol)).Passed.Should().BeFalse();
    }

    [Test]
    public void MinimalPassingRtol_UsedAsRtol_PassesAndNinetyNinePercentOfItFails()
    {
        var (actual, expected) = NoisyPair();

        var rtol = TensorComparer.Compare("attn.v", actual, expected, Tolerance.Exact).MinimalPassingRtol;

        rtol.Should().BePositive().And.NotBe(double.PositiveInfinity);
        TensorComparer.Compare("attn.v", actual, expected, new Tolerance(0, rtol)).Passed.Should().BeTrue();
        TensorComparer.Compare("attn.v", actual, expected, new Tolerance(0, rtol * 0.99)).Passed.Should().BeFalse();
    }

    [Test]
    public void MinimalPassingAtol_OneThirdError_IsTheSmallestPassingDouble()
    {
        // 1/3 is inexact in binary: the answer must be exactly where the float64 check flips.
        var c = TensorComparer.Compare("output", TestTensors.Vector(1.0 / 3), TestTensors.Vector(0), Tolerance.Exact);

        var atol = c.MinimalPassingAtol;

        TensorComparer.Compare("output", TestTensors.Vector(1.0 / 3), TestTensors.Vector(0), new Tolerance(atol, 0)).Passed.Should().BeTrue();
        TensorComparer.Compare("output", TestTensors.Vector(1.0 / 3), TestTensors.Vector(0), new Tolerance(Math.BitDecrement(atol), 0)).Passed.Should().BeFalse();
    }

    [Test]
    public void MinimalPassingRtol_ZeroExpectedThatDiffers_IsInfinity()
    {
        var c = TensorComparer.Compare("attn.probs", TestTensors.Vector(1e-3, 1), TestTensors.Vector(0, 1), Tolerance.Exact);

        c.MinimalPassingRtol.Should().Be(double.PositiveInfinity);
        c.MinimalPassingAtol.Should().Be(1e-3);
    }

    [TestCase(-1e-3, 0.0)]
    [TestCase(0.0, -1.0)]
    [TestCase(double.NaN, 0.0)]
    [TestCase(0.0, double.PositiveInfinity)]
    public void Tolerance_NegativeOrNonFiniteBound_ThrowsNamingIt(double atol, double rtol)
    {
        var act = () => new Tolerance(atol, rtol);

        act.Should().Throw<ArgumentException>().WithMessage("*tol must be finite and non-negative*");
    }
}
