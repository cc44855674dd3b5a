using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class SyntheticWeightsTests
{
    private static readonly LayerShape Shape = new(1, 4, 4, 16, 256);

    [Test]
    public void Create_SameSeed_SameValues()
    {
        var a = SyntheticWeights.Create(Shape, 5);
        // Another layer in between: the last layer drawn is reused, and b must be a draw of its own.
        SyntheticWeights.Create(Shape, 6);
        var b = SyntheticWeights.Create(Shape, 5);

        b.Should().NotBeSameAs(a);
        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            get(a).Data.Should().Equal(get(b).Data, because: suffix);
        }
    }

    [Test]
    public void Create_DifferentSeed_DifferentValues()
    {
        var a = SyntheticWeights.Create(Shape, 5);
        var b = SyntheticWeights.Create(Shape, 6);

        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            get(a).Data.Zip(get(b).Data).Count(p => p.First == p.Second).Should().BeLessThan(get(a).Data.Length / 100 + 1, because: suffix);
        }
    }

    [Test]
    public void Create_DifferentParameters_AreDifferentStreams()
    {
        var w = SyntheticWeights.Create(Shape, 5);

        w.QueryWeight.Data.Should().NotEqual(w.KeyWeight.Data);
    }

    [Test]
    public void Create_Matrices_HaveBertInitializerMagnitudes()
    {
        var w = SyntheticWeights.Create(Shape, 3);

        foreach (var t in new[] { w.QueryWeight, w.IntermediateWeight, w.OutputWeight })
        {
            Mean(t.Data).Should().BeApproximately(0, 0.002);
            Std(t.Data).Should().BeApproximately(SyntheticWeights.InitializerStd, 0.002);
        }

        Std(w.QueryBias.Data.Concat(w.KeyBias.Data).Concat(w.IntermediateBias.Data).ToArray()).Should().BeApproximately(0.02, 0.004);
    }

    [Test]
    public void Create_LayerNormGamma_IsNearOneWithSmallSpread()
    {
        var w = SyntheticWeights.Create(new LayerShape(1, 1, 16, 64, 8), 3);

        Mean(w.AttentionLayerNormGamma.Data).Should().BeApproximately(1, 0.01);
        Std(w.OutputLayerNormGamma.Data).Should().BeApproximately(SyntheticWeights.LayerNormGammaStd, 0.006);
        Std(w.OutputLayerNormBeta.Data).Should().BeApproximately(0.02, 0.003);
    }

    [Test]
    public void Create_Values_AreFloat32AndFinite()
    {
        var w = SyntheticWeights.Create(new LayerShape(2, 7, 3, 5, 11), 9);

        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            get(w).Dtype.Should().Be(ElementType.Float32, because: suffix);
            get(w).Data.Should().OnlyContain(v => double.IsFinite(v) && v == (float)v, because: suffix);
        }
    }

    [Test]
    public void NextUInt64_SeedZero_MatchesThePublishedSequence()
    {
        // The first outputs of SplitMix64 seeded with 0, as published with the algorithm.
        var rng = new SplitMix64(0);

        rng.NextUInt64().Should().Be(0xE220A8397B1DCDAFUL);
        rng.NextUInt64().Should().Be(0x6E789E6AA1B965F4UL);
    }

    private static double Mean(double[] v) => v.Average();

    private static double Std(double[] v)
    {
        var m = v.Average();
        return Math.Sqrt(v.Select(x => (x - m) * (x - m)).Average());
    }
}
