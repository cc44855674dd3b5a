using Harness.Reference;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>The emulator's edges: empty operands, dtypes, broadcasting, bad arguments, NaN.</summary>
public sealed class AccumulationEmulatorShapeTests
{
    [Test]
    public void Matmul_EmptyReduction_ReturnsPositiveZeros()
    {
        using var a = torch.zeros(3, 0, dtype: torch.float64);
        using var b = torch.zeros(0, 2, dtype: torch.float64);

        using var c = AccumulationEmulator.Matmul(a, b, new AccumulationModel(4));

        c.shape.Should().Equal(3, 2);
        c.data<double>().ToArray().Should().AllSatisfy(x => BitConverter.DoubleToInt64Bits(x).Should().Be(0L));
    }

    [Test]
    public void Matmul_NoRows_ReturnsEmptyResultOfTheRightShape()
    {
        using var a = torch.zeros(2, 0, 4, dtype: torch.float64);
        using var b = torch.ones(4, 5, dtype: torch.float64);

        using var c = AccumulationEmulator.Matmul(a, b, new AccumulationModel(2));

        c.shape.Should().Equal(2, 0, 5);
    }

    [Test]
    public void Matmul_Float16Operands_EqualTheirFloat64Values()
    {
        var a = EmulatorOperands.Random(OperandKind.Fp16, 7 * 19, 31);
        var b = EmulatorOperands.Random(OperandKind.Fp16, 19 * 5, 32);
        using var a64 = torch.tensor(a, [7, 19], torch.float64);
        using var b64 = torch.tensor(b, [19, 5], torch.float64);
        using var a16 = a64.to_type(torch.float16);
        using var b16 = b64.to_type(torch.float16);
        var model = new AccumulationModel(4, AccumulationRounding.TowardZero);

        using var c16 = AccumulationEmulator.Matmul(a16, b16, model);
        using var c64 = AccumulationEmulator.Matmul(a64, b64, model);

        c16.dtype.Should().Be(torch.float64);
        c16.data<double>().ToArray().Should().Equal(c64.data<double>().ToArray());
    }

    [Test]
    public void Matmul_WideModel_IsThePlainFloat64Product()
    {
        using var a = torch.tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, [2, 3], torch.float64);
        using var b = torch.tensor(new[] { 1.0, 0.5, -1.0 }, [3, 1], torch.float64);

        using var c = AccumulationEmulator.Matmul(a, b, AccumulationModel.Wide);

        c.data<double>().ToArray().Should().Equal(-1.0, 0.5);
    }

    [Test]
    public void Matmul_GroupLongerThanReduction_IsOneRoundingOfTheWholeSum()
    {
        // 2048 + 1 + 1 = 2050 exactly in one group; serially each +1 would be lost (fp16 spacing is 2 at 2048).
        using var a = torch.tensor(new[] { 2048.0, 1.0, 1.0 }, [1, 3], torch.float64);
        using var b = torch.ones(3, 1, dtype: torch.float64);

        using var grouped = AccumulationEmulator.Matmul(a, b, new AccumulationModel(1000));
        using var serial = AccumulationEmulator.Matmul(a, b, new AccumulationModel(1));

        grouped.item<double>().Should().Be(2050.0);
        serial.item<double>().Should().Be(2048.0);
    }

    [Test]
    public void Matmul_NaNOperand_MakesOnlyItsRowNaN()
    {
        var a = EmulatorOperands.Random(OperandKind.Fp16, 5 * 9, 41);
        a[(2 * 9) + 4] = double.NaN;
        using var ta = torch.tensor(a, [5, 9], torch.float64);
        using var tb = torch.tensor(EmulatorOperands.Random(OperandKind.Fp16, 9 * 6, 42), [9, 6], torch.float64);

        using var c = AccumulationEmulator.Matmul(ta, tb, new AccumulationModel(2));

        var values = c.data<double>().ToArray();
        for (var i = 0; i < 5; i++)
        {
            values.Skip(i * 6).Take(6).Should().AllSatisfy(x => double.IsNaN(x).Should().Be(i == 2), because: $"row {i}");
        }
    }

    [Test]
    public void Matmul_BatchDimensionsThatDoNotBroadcast_ThrowsNamingBothShapes()
    {
        using var a = torch.zeros(2, 3, 4, dtype: torch.float64);
        using var b = torch.zeros(3, 4, 5, dtype: torch.float64);

        var act = () => AccumulationEmulator.Matmul(a, b, new AccumulationModel(4));

        act.Should().Throw<ArgumentException>().WithMessage("*batch*[2, 3, 4]*[3, 4, 5]*");
    }

    [Test]
    public void Matmul_OneDimensionalOperand_ThrowsNamingItsShape()
    {
        using var a = torch.zeros(4, dtype: torch.float64);
        using var b = torch.zeros(4, 2, dtype: torch.float64);

        var act = () => AccumulationEmulator.Matmul(a, b, new AccumulationModel(4));

        act.Should().Throw<ArgumentException>().WithMessage("*[4]*[4, 2]*");
    }

    [Test]
    public void Matmul_NegativeGroupSize_ThrowsNamingIt()
    {
        using var a = torch.zeros(2, 4, dtype: torch.float64);
        using var b = torch.zeros(4, 2, dtype: torch.float64);

        var act = () => AccumulationEmulator.Matmul(a, b, new AccumulationModel(-3));

        act.Should().Throw<ArgumentException>().WithMessage("*group size*-3*");
    }
}
