using Harness.Comparison;

namespace Harness.Tests.Comparison;

/// <summary>The ULP columns count only elements of the tensor's scale: near zero an ULP means nothing.</summary>
public sealed class UlpFloorTests
{
    private static readonly Tolerance Loose = new(1, 1);

    [Test]
    public void Compare_SignChangeNearZero_NotCountedInUlps()
    {
        // 1e-7 → −1e-7 is ~2e9 fp32 ULPs apart across zero; it is 1e-7 of the tensor's scale (4), below the floor.
        var expected = TestTensors.Of(ElementType.Float32, [3], 1e-7, 2, 4);
        var actual = TestTensors.Of(ElementType.Float32, [3], -1e-7f, MathF.BitIncrement(2f), 4);

        var c = TensorComparer.Compare("attn.ln_sum", actual, expected, Loose);

        c.MaxUlpFp32.Should().Be(1, "only the element at 2 is of the tensor's scale");
    }

    [TestCase(4.0 / 1024, 1L, TestName = "Compare_ElementAtTheFloor_Counted")]
    [TestCase(4.0 / 2048, 0L, TestName = "Compare_ElementBelowTheFloor_NotCounted")]
    public void Compare_ElementNearTheFloor(double small, long expectedUlps)
    {
        var expected = TestTensors.Of(ElementType.Float32, [2], small, 4);
        var actual = TestTensors.Of(ElementType.Float32, [2], MathF.BitIncrement((float)small), 4);

        var c = TensorComparer.Compare("attn.ln_sum", actual, expected, Loose);

        c.MaxUlpFp32.Should().Be(expectedUlps);
    }
}
