using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>Fp16Rounding.Round: known values, the Half-conversion oracle, dtypes and views.</summary>
public sealed class Fp16RoundingTests
{
    private static readonly double Ulp1 = Math.Pow(2, -10);
    private static readonly double Sub = Math.Pow(2, -24);

    // (input, nearest-even, toward zero): ties, binade edges, subnormals, overflow, signed zeros and non-finite values.
    private static readonly (double X, double Rn, double Rz)[] Known =
    [
        (1.0 + (0.5 * Ulp1), 1.0, 1.0),
        (1.0 + (1.5 * Ulp1), 1.0 + (2 * Ulp1), 1.0 + Ulp1),
        (-(1.0 + (1.5 * Ulp1)), -(1.0 + (2 * Ulp1)), -(1.0 + Ulp1)),
        (2.0 - (0.25 * Ulp1), 2.0, 2.0 - Ulp1),
        (2.5 * Sub, 2 * Sub, 2 * Sub),
        (3.5 * Sub, 4 * Sub, 3 * Sub),
        (-0.75 * Sub, -Sub, -0.0),
        (0.5 * Sub, 0.0, 0.0),
        (Math.Pow(2, -14) - (0.5 * Sub), Math.Pow(2, -14), Math.Pow(2, -14) - Sub),
        (65519.99, 65504.0, 65504.0),
        (65520.0, double.PositiveInfinity, 65504.0),
        (-1e300, double.NegativeInfinity, -65504.0),
        (-0.0, -0.0, -0.0),
        (double.Epsilon, 0.0, 0.0),
        (double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity),
    ];

    [TestCase(AccumulationRounding.NearestEven)]
    [TestCase(AccumulationRounding.TowardZero)]
    public void Round_KnownValuesInVectorAndTailPositions_GiveKnownFp16(AccumulationRounding rounding)
    {
        // Five copies shifted by one place each, so every value meets both the 4-wide vector path and the scalar tail.
        for (var shift = 0; shift < 5; shift++)
        {
            var inputs = Enumerable.Repeat(1.0, shift).Concat(Known.Select(v => v.X)).ToArray();
            using var t = torch.tensor(inputs, torch.float64);

            using var rounded = Fp16Rounding.Round(t, rounding);

            var actual = rounded.data<double>().ToArray().Skip(shift).ToArray();
            var expected = Known.Select(v => rounding == AccumulationRounding.NearestEven ? v.Rn : v.Rz).ToArray();
            EmulatorOperands.BitDifferences(actual, expected).Should().BeEmpty(because: $"shift {shift}");
        }
    }

    [TestCase(AccumulationRounding.NearestEven)]
    [TestCase(AccumulationRounding.TowardZero)]
    public void Round_RandomDoublesOverAllBinades_MatchesHalfConversionOracle(AccumulationRounding rounding)
    {
        var rng = new Random(9);
        var values = Enumerable.Range(0, 4003)
            .Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 18)))
            .Concat([double.NaN, 65504.0, Math.Pow(2, -25), 3 * Math.Pow(2, -26)])
            .ToArray();
        using var t = torch.tensor(values, torch.float64);

        using var rounded = Fp16Rounding.Round(t, rounding);

        var expected = values.Select(x => ScalarEmulatorOracle.ToHalf(x, rounding)).ToArray();
        EmulatorOperands.BitDifferences(rounded.data<double>().ToArray(), expected).Should().BeEmpty();
    }

    [Test]
    public void Round_Float64Input_LeavesTheInputUnchanged()
    {
        var values = new[] { 1.0 + (0.75 * Ulp1), 0.1, -3.3 };
        using var t = torch.tensor(values, torch.float64);

        using var rounded = Fp16Rounding.Round(t);

        t.data<double>().ToArray().Should().Equal(values);
        rounded.data<double>().ToArray().Should().Equal(1.0 + Ulp1, (double)(Half)0.1, (double)(Half)(-3.3));
    }

    [Test]
    public void Round_Float32Input_ReturnsFloat32HoldingFp16Values()
    {
        using var t = torch.tensor(new[] { 0.1f, 70000f, -1e-7f }, torch.float32);

        using var rounded = Fp16Rounding.Round(t);

        rounded.dtype.Should().Be(torch.float32);
        rounded.data<float>().ToArray().Should().Equal((float)(Half)0.1f, float.PositiveInfinity, (float)(Half)(-1e-7f));
    }

    [Test]
    public void Round_TransposedView_RoundsEveryElementInItsPlace()
    {
        var values = Enumerable.Range(0, 15).Select(i => 1.0 + (i * 0.3 * Ulp1)).ToArray();
        using var t = torch.tensor(values, [3, 5], torch.float64);
        using var view = t.t();

        using var rounded = Fp16Rounding.Round(view);

        rounded.shape.Should().Equal(5, 3);
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                rounded[i, j].item<double>().Should().Be((double)(Half)values[(j * 5) + i], because: $"element [{i},{j}]");
            }
        }
    }

    [Test]
    public void Round_ZeroDimensionalAndEmptyTensors_KeepTheirShapes()
    {
        using var scalar = torch.tensor(1.0 + (0.75 * Ulp1), torch.float64);
        using var empty = torch.zeros(0, 3, dtype: torch.float64);

        using var roundedScalar = Fp16Rounding.Round(scalar);
        using var roundedEmpty = Fp16Rounding.Round(empty);

        roundedScalar.dim().Should().Be(0);
        roundedScalar.item<double>().Should().Be(1.0 + Ulp1);
        roundedEmpty.shape.Should().Equal(0, 3);
    }
}
