using Harness.Benchmarking;

namespace Harness.Tests.Benchmarking;

public sealed class FloorTests
{
    // B=1, S=2, H=1, D=2 (M=2), F=4, worked by hand below.
    private static readonly LayerShape Tiny = new(1, 2, 1, 2, 4);

    [Test]
    public void Of_TinyShape_FlopsAreTheSumOfTheGemms()
    {
        // QKV 2·2·2·6 = 48, QKᵀ and PV 2·2·(1·1·2·2·2) = 32, dense 2·2·2·2 = 16, FC1 + FC2 2·2·(2·2·4) = 64.
        LayerCost.Of(Tiny, 2).Flops.Should().Be(160);
    }

    [Test]
    public void Of_TinyShape_BytesAreWeightsVectorsInputAndOutput()
    {
        var cost = LayerCost.Of(Tiny, 2);

        // Matrices 4·M² + 2·M·F = 32 elements; vectors 3M + M + F + M + 4M = 22; 54 fp16 elements.
        cost.WeightBytes.Should().Be(108);
        // Input and output, B·S·M each: 8 elements.
        cost.ActivationBytes.Should().Be(16);
        cost.Bytes.Should().Be(124);
    }

    [Test]
    public void GemmFlops_BertBase384_MatchesClosedForm()
    {
        // 2·384·768·2304 + 4·12·384²·64 + 2·384·768² + 4·384·768·3072
        LayerCost.GemmFlops(LayerShape.BertBase384).Should().Be(1_358_954_496.0 + 452_984_832 + 452_984_832 + 3_623_878_656);
    }

    [Test]
    public void For_MemoryBoundShape_FloorIsBytesOverBandwidth()
    {
        // 160 FLOP at 160 MFLOP/s = 1 µs; 124 B at 62 MB/s = 2 µs.
        var floor = new DeviceFloor(160e6, 62e6, 8192, 1 << 30).For(Tiny, 2);

        floor.ComputeMicroseconds.Should().BeApproximately(1, 1e-9);
        floor.MemoryMicroseconds.Should().BeApproximately(2, 1e-9);
        floor.Microseconds.Should().BeApproximately(2, 1e-9);
        floor.Bound.Should().Be("memory");
    }

    [Test]
    public void For_ComputeBoundShape_FloorIsFlopsOverRate()
    {
        var floor = new DeviceFloor(16e6, 1240e6, 8192, 1 << 30).For(Tiny, 2);

        floor.Microseconds.Should().BeApproximately(10, 1e-9);
        floor.Bound.Should().Be("compute");
    }
}
