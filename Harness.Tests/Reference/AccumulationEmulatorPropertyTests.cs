using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>The emulator bit for bit against the two oracles, over group sizes, roundings, shapes and operand kinds.</summary>
public sealed class AccumulationEmulatorPropertyTests
{
    private static readonly int[] GroupSizes = [1, 2, 3, 4, 8, 16, 32, 64];

    // Round shapes beside awkward ones: depths not a multiple of k, rows not a multiple of 4, columns of 8.
    private static readonly (int Rows, int Depth, int Columns)[] Shapes = [(4, 64, 8), (7, 37, 5), (1, 1, 1), (9, 100, 13), (3, 130, 17)];

    [Test]
    public void Matmul_EveryGroupSizeAndShape_MatchesScalarOracleBitForBit([Values] OperandKind kind, [Values] AccumulationRounding rounding)
    {
        var seed = 100;
        foreach (var (rows, depth, columns) in Shapes)
        {
            foreach (var k in GroupSizes)
            {
                var a = EmulatorOperands.Random(kind, rows * depth, seed++);
                var b = EmulatorOperands.Random(kind, depth * columns, seed++);
                using var ta = torch.tensor(a, [rows, depth], torch.float64);
                using var tb = torch.tensor(b, [depth, columns], torch.float64);

                using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(k, rounding));

                var expected = ScalarEmulatorOracle.Matmul(a, b, rows, depth, columns, k, rounding);
                EmulatorOperands.BitDifferences(c.data<double>().ToArray(), expected)
                    .Should().BeEmpty(because: EmulatorOperands.Describe(rows, depth, columns, k, rounding, kind));
            }
        }
    }

    [Test]
    public void Matmul_FourDimensionalBroadcastOperands_MatchesTorchOpsOracleBitForBit(
        [Values(OperandKind.Fp16, OperandKind.Overflowing, OperandKind.Subnormal)] OperandKind kind, [Values] AccumulationRounding rounding)
    {
        // fp16 operands (exact group sums in any order), so the torch oracle's matmul order cannot matter.
        using var a = torch.tensor(EmulatorOperands.Random(kind, 2 * 1 * 7 * 37, 7), [2, 1, 7, 37], torch.float64);
        using var b = torch.tensor(EmulatorOperands.Random(kind, 3 * 37 * 5, 8), [3, 37, 5], torch.float64);
        foreach (var k in GroupSizes)
        {
            var model = new AccumulationModel(k, rounding);

            using var c = AccumulationEmulator.Matmul(a, b, model);

            using var expected = TorchOpsEmulatorOracle.Matmul(a, b, model);
            c.shape.Should().Equal(2, 3, 7, 5);
            EmulatorOperands.BitDifferences(c.data<double>().ToArray(), expected.data<double>().ToArray())
                .Should().BeEmpty(because: $"{model} {kind}");
        }
    }

    [Test]
    public void Matmul_BatchedWithTransposedSharedWeight_MatchesScalarOraclePerBatch()
    {
        const int Batch = 3, Rows = 5, Depth = 45, Columns = 11;
        var a = EmulatorOperands.Random(OperandKind.Fp16, Batch * Rows * Depth, 11);
        var w = EmulatorOperands.Random(OperandKind.Fp16, Columns * Depth, 12);
        using var ta = torch.tensor(a, [Batch, Rows, Depth], torch.float64);
        using var tw = torch.tensor(w, [Columns, Depth], torch.float64);
        var model = new AccumulationModel(16);

        using var c = AccumulationEmulator.Matmul(ta, tw.t(), model);

        var b = new double[Depth * Columns];
        for (var k = 0; k < Depth; k++)
        {
            for (var j = 0; j < Columns; j++)
            {
                b[(k * Columns) + j] = w[(j * Depth) + k];
            }
        }

        var actual = c.data<double>().ToArray();
        for (var p = 0; p < Batch; p++)
        {
            var expected = ScalarEmulatorOracle.Matmul(a[(p * Rows * Depth)..((p + 1) * Rows * Depth)], b, Rows, Depth, Columns, 16, model.Rounding);
            EmulatorOperands.BitDifferences(actual[(p * Rows * Columns)..((p + 1) * Rows * Columns)], expected).Should().BeEmpty(because: $"batch {p}");
        }
    }

    [Test]
    public void Matmul_LargeEnoughToRunInParallel_MatchesScalarOracle()
    {
        const int Rows = 37, Depth = 300, Columns = 101;
        var a = EmulatorOperands.Random(OperandKind.Fp16, Rows * Depth, 21);
        var b = EmulatorOperands.Random(OperandKind.Fp16, Depth * Columns, 22);
        using var ta = torch.tensor(a, [Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Depth, Columns], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(8));

        var expected = ScalarEmulatorOracle.Matmul(a, b, Rows, Depth, Columns, 8, AccumulationRounding.NearestEven);
        EmulatorOperands.BitDifferences(c.data<double>().ToArray(), expected).Should().BeEmpty();
    }
}
