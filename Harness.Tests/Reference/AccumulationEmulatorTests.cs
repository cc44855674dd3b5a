using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>The fp16 tensor-core accumulation emulator against serial and closed-form accumulations.</summary>
public sealed class AccumulationEmulatorTests
{
    private const int Rows = 3;
    private const int Depth = 40;
    private const int Cols = 2;

    [Test]
    public void Matmul_GroupSizeOne_EqualsSerialFp16Loop()
    {
        var (a, b) = HalfOperands(seed: 5, wide: true);
        using var ta = torch.tensor(a, [Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Depth, Cols], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(1));

        var actual = c.data<double>().ToArray();
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Cols; j++)
            {
                var acc = Half.Zero;
                for (var k = 0; k < Depth; k++)
                {
                    acc = (Half)((double)acc + a[i * Depth + k] * b[k * Cols + j]);
                }

                actual[i * Cols + j].Should().Be((double)acc, because: $"element [{i},{j}]");
            }
        }
    }

    [TestCase(Depth)]
    [TestCase(Depth + 5)]
    public void Matmul_GroupSizeAtLeastDepth_EqualsOneRoundingOfExactSum(int groupSize)
    {
        // Operands in [0.25, 2): products have bits down to 2^-24 and sums stay below 2^8, so double sums are exact.
        var (a, b) = HalfOperands(seed: 6, wide: false);
        using var ta = torch.tensor(a, [Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Depth, Cols], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(groupSize));

        var actual = c.data<double>().ToArray();
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Cols; j++)
            {
                var exact = 0.0;
                for (var k = 0; k < Depth; k++)
                {
                    exact += a[i * Depth + k] * b[k * Cols + j];
                }

                actual[i * Cols + j].Should().Be((double)(Half)exact, because: $"element [{i},{j}]");
            }
        }
    }

    [Test]
    public void Matmul_TowardZeroVersusNearest_DifferOnThreeQuarterUlpRemainder()
    {
        // 1 + 0.75·2^-10: nearest rounds up to the next fp16 after 1, toward zero stays at 1 (and at −1 when negated).
        var ulp = Math.Pow(2, -10);
        using var a = torch.tensor(new[] { 1.0, 0.75 * ulp, -1.0, -0.75 * ulp }, [2, 2], torch.float64);
        using var b = torch.tensor(new[] { 1.0, 1.0 }, [2, 1], torch.float64);

        using var rn = AccumulationEmulator.Matmul(a, b, new AccumulationModel(1, AccumulationRounding.NearestEven));
        using var rz = AccumulationEmulator.Matmul(a, b, new AccumulationModel(1, AccumulationRounding.TowardZero));

        rn.data<double>().ToArray().Should().Equal(1.0 + ulp, -1.0 - ulp);
        rz.data<double>().ToArray().Should().Equal(1.0, -1.0);
    }

    [Test]
    public void Matmul_BatchedOperands_MatchesPerBatchProducts()
    {
        var (a, b) = HalfOperands(seed: 7, wide: true);
        using var ta = torch.tensor(a.Concat(a.Select(v => -v)).ToArray(), [2, Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Depth, Cols], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(8));

        var values = c.data<double>().ToArray();
        c.shape.Should().Equal(2, Rows, Cols);
        values.Take(Rows * Cols).Should().Equal(values.Skip(Rows * Cols).Select(v => -v), "nearest-even rounding is symmetric");
    }

    [Test]
    public void Matmul_MismatchedDepth_ThrowsNamingBothShapes()
    {
        using var a = torch.zeros(2, 3, dtype: torch.float64);
        using var b = torch.zeros(4, 2, dtype: torch.float64);

        var act = () => AccumulationEmulator.Matmul(a, b, new AccumulationModel(4));

        act.Should().Throw<ArgumentException>().WithMessage("*[2, 3]*[4, 2]*");
    }

    /// <summary>fp16 operands: wide = any magnitude in [-2, 2]; otherwise in ±[0.25, 2).</summary>
    private static (double[] A, double[] B) HalfOperands(int seed, bool wide)
    {
        var rng = new Random(seed);
        double Next()
        {
            var magnitude = wide ? rng.NextDouble() * 2.0 : 0.25 + rng.NextDouble() * 1.75;
            return (double)(Half)(rng.Next(2) == 0 ? magnitude : -magnitude);
        }

        return (Enumerable.Range(0, Rows * Depth).Select(_ => Next()).ToArray(), Enumerable.Range(0, Depth * Cols).Select(_ => Next()).ToArray());
    }
}
