using Harness.Dumps;

namespace Harness.Tests.Dumps;

/// <summary>Canonical shapes and the accepted alternatives; anything else is an error listing what is accepted.</summary>
public sealed class ShapeAdapterTests
{
    private static readonly LayerShape One = new(1, 7, 3, 5, 11);
    private static readonly LayerShape Two = new(2, 4, 2, 8, 32);

    private static IEnumerable<TestCaseData> Accepted()
    {
        yield return new TestCaseData("attn.context", One, new long[] { 7, 15 }).SetName("For_Alternative_Accepted([S,M] context)");
        yield return new TestCaseData("attn.probs", One, new long[] { 3, 7, 7 }).SetName("For_Alternative_Accepted([H,S,S] probs)");
        yield return new TestCaseData("attn.qkv", One, new long[] { 3, 3, 7, 5 }).SetName("For_Alternative_Accepted([3,H,S,D] qkv)");
        yield return new TestCaseData("attn.q", One, new long[] { 3, 7, 5 }).SetName("For_Alternative_Accepted([H,S,D] q)");
        yield return new TestCaseData("attn.v", Two, new long[] { 2, 4, 16 }).SetName("For_Alternative_Accepted([B,S,M] v before head split)");
        yield return new TestCaseData("output", Two, new long[] { 8, 16 }).SetName("For_Alternative_Accepted([B·S,M] output)");
        yield return new TestCaseData("attn.ln_sum", Two, new long[] { 8 }).SetName("For_Alternative_Accepted(canonical ln_sum)");
    }

    [TestCaseSource(nameof(Accepted))]
    public void For_Alternative_Accepted(string name, LayerShape layer, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var tensor = new HostTensor(shape, Enumerable.Range(0, (int)count).Select(i => (double)i).ToArray(), ElementType.Float32);

        var adaptation = ShapeAdapter.For(name, shape, layer, "dump");
        var canonical = adaptation.ToCanonical(tensor);

        canonical.Shape.Should().Equal(TensorNames.ShapeOf(name, layer));
        adaptation.FromCanonical(canonical).Data.Should().Equal(tensor.Data, "the two directions are inverse");
    }

    [Test]
    public void For_QueryBeforeHeadSplit_ColumnHeadTimesDPlusD()
    {
        // [S=7, M=15] with value = s·100 + column; canonical [1, H=3, S=7, D=5]: element [0, h, s, d] = s·100 + h·5 + d.
        var data = new double[7 * 15];
        for (var s = 0; s < 7; s++)
        {
            for (var c = 0; c < 15; c++)
            {
                data[(s * 15) + c] = (s * 100) + c;
            }
        }

        var canonical = ShapeAdapter.For("attn.q", [7, 15], One, "dump").ToCanonical(new HostTensor([7, 15], data, ElementType.Float32));

        canonical.Data[(((2 * 7) + 4) * 5) + 3].Should().Be((4 * 100) + (2 * 5) + 3);
    }

    [TestCase("attn.context", new long[] { 7, 16 })]
    [TestCase("attn.probs", new long[] { 7, 7 })]
    [TestCase("ffn.fc1", new long[] { 1, 11, 7 })]
    public void For_OtherShape_ErrorListingAccepted(string name, long[] shape)
    {
        var act = () => ShapeAdapter.For(name, shape, One, "dump 'x'");

        act.Should().Throw<DumpFormatException>().Which.Message.Should()
            .Contain($"{name} has shape [{string.Join(", ", shape)}]").And.Contain("(canonical)");
    }
}
