using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>
/// RepeatedRows finds rows equal bit for bit (per batch), and the emulator, which multiplies each distinct row once,
/// still matches the scalar oracle bit for bit on operands with repeated rows (a constant input's).
/// </summary>
public sealed class RepeatedRowsTests
{
    [Test]
    public void FirstOccurrences_RepeatedRows_EachMapsToItsFirstEqualRow()
    {
        double[] matrix = [1, 2, /* */ 3, 4, /* */ 1, 2, /* */ 3, 4, /* */ 5, 6];

        var first = RepeatedRows.FirstOccurrences(matrix, batch: 1, rows: 5, depth: 2);

        first.Should().Equal(0, 1, 0, 1, 4);
    }

    [Test]
    public void FirstOccurrences_EveryRowDistinct_Null()
    {
        double[] matrix = [1, 2, 3, 4, 5, 6];

        RepeatedRows.FirstOccurrences(matrix, batch: 1, rows: 3, depth: 2).Should().BeNull();
    }

    [Test]
    public void FirstOccurrences_SignedZerosAndNaNPayloads_ComparedByTheirBits()
    {
        var otherNaN = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001);
        double[] matrix = [0.0, -0.0, double.NaN, otherNaN, double.NaN];

        var first = RepeatedRows.FirstOccurrences(matrix, batch: 1, rows: 5, depth: 1);

        first.Should().Equal(0, 1, 2, 3, 2);
    }

    [Test]
    public void FirstOccurrences_SameRowInTwoBatches_RepeatsOnlyWithinABatch()
    {
        double[] matrix = [7, 8, /* */ 9, 9, /* batch 1 */ 7, 8, /* */ 7, 8];

        var first = RepeatedRows.FirstOccurrences(matrix, batch: 2, rows: 2, depth: 2);

        first.Should().Equal(0, 1, 0, 0);
    }

    [Test]
    public void Matmul_RepeatedRowsAwkwardShape_MatchesScalarOracleBitForBit([Values] OperandKind kind, [Values] AccumulationRounding rounding)
    {
        const int Rows = 11, Depth = 37, Columns = 13;
        var distinct = EmulatorOperands.Random(kind, 3 * Depth, 41);
        // Three distinct rows, repeated in a scrambled order.
        int[] source = [0, 1, 2, 1, 0, 0, 2, 1, 2, 0, 1];
        var a = source.SelectMany(r => distinct[(r * Depth)..((r + 1) * Depth)]).ToArray();
        var b = EmulatorOperands.Random(kind, Depth * Columns, 42);
        using var ta = torch.tensor(a, [Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Depth, Columns], torch.float64);
        foreach (var k in new[] { 1, 4, 16 })
        {
            using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(k, rounding));

            var expected = ScalarEmulatorOracle.Matmul(a, b, Rows, Depth, Columns, k, rounding);
            EmulatorOperands.BitDifferences(c.data<double>().ToArray(), expected)
                .Should().BeEmpty(because: EmulatorOperands.Describe(Rows, Depth, Columns, k, rounding, kind));
        }
    }

    [Test]
    public void Matmul_BatchedWithRowsRepeatedPerBatch_MatchesScalarOraclePerBatch()
    {
        const int Batch = 3, Rows = 6, Depth = 40, Columns = 9;
        var row = EmulatorOperands.Random(OperandKind.Fp16, Batch * Depth, 51);

        // Every row of batch p is row p: a constant input's scores, one head per batch.
        var a = Enumerable.Range(0, Batch).SelectMany(p => Enumerable.Repeat(row[(p * Depth)..((p + 1) * Depth)], Rows).SelectMany(r => r)).ToArray();
        var b = EmulatorOperands.Random(OperandKind.Fp16, Batch * Depth * Columns, 52);
        using var ta = torch.tensor(a, [Batch, Rows, Depth], torch.float64);
        using var tb = torch.tensor(b, [Batch, Depth, Columns], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(8));

        var actual = c.data<double>().ToArray();
        for (var p = 0; p < Batch; p++)
        {
            var expected = ScalarEmulatorOracle.Matmul(a[(p * Rows * Depth)..((p + 1) * Rows * Depth)], b[(p * Depth * Columns)..((p + 1) * Depth * Columns)], Rows, Depth, Columns, 8, AccumulationRounding.NearestEven);
            EmulatorOperands.BitDifferences(actual[(p * Rows * Columns)..((p + 1) * Rows * Columns)], expected).Should().BeEmpty(because: $"batch {p}");
        }
    }
}
