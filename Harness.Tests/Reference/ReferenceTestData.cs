
namespace Harness.Tests.Reference;

/// <summary>Small random layers and inputs for the reference tests (deterministic per seed).</summary>
internal static class ReferenceTestData
{
    public static LayerShape Awkward { get; } = new(2, 5, 3, 4, 7);

    public static LayerWeights RandomWeights(LayerShape s, int seed, double scale = 0.5)
    {
        var rng = new Random(seed);
        HostTensor Around(double centre, long n) => new([n], Enumerable.Range(0, (int)n).Select(_ => centre + (rng.NextDouble() - 0.5) * 0.2).ToArray(), ElementType.Float64);

        // LayerNorm gammas near 1 and betas near 0; every other parameter random around 0.
        var weights = LayerWeights.FromParameters(suffix => suffix switch
        {
            _ when suffix.EndsWith("LayerNorm.weight", StringComparison.Ordinal) => Around(1.0, s.Model),
            _ when suffix.EndsWith("LayerNorm.bias", StringComparison.Ordinal) => Around(0.0, s.Model),
            _ => Random(rng, LayerWeights.ExpectedShape(suffix, s), scale),
        });
        return weights with { LayerNormScalarGamma = 1.25, LayerNormScalarBeta = -0.5 };
    }

    /// <summary>Random hidden states; with <paramref name="padLastKeys"/> the last keys of the last batch are masked (−10000).</summary>
    public static LayerInputs RandomInputs(LayerShape s, int seed, int padLastKeys = 0)
    {
        var rng = new Random(seed);
        var hidden = Random(rng, [s.Batch, s.Sequence, s.Model], 1.0);
        if (padLastKeys == 0)
        {
            return new LayerInputs(hidden);
        }

        var mask = new double[s.Batch * s.Sequence];
        for (var j = s.Sequence - padLastKeys; j < s.Sequence; j++)
        {
            mask[((s.Batch - 1) * s.Sequence) + j] = -10000.0;
        }

        return new LayerInputs(hidden, new HostTensor([s.Batch, s.Sequence], mask, ElementType.Float64));
    }

    public static ReferenceOptionsBuilder Options(LayerSemantics semantics, LayerShape shape) => new(semantics, shape);

    private static HostTensor Random(Random rng, long[] shape, double scale)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (rng.NextDouble() * 2.0 - 1.0) * scale;
        }

        return new HostTensor(shape, data, ElementType.Float64);
    }
}

/// <summary>Reference options with the heads taken from a test shape.</summary>
internal sealed record ReferenceOptionsBuilder(LayerSemantics Semantics, LayerShape Shape)
{
    public Harness.Reference.ReferenceOptions In(ElementType dtype, IReadOnlyDictionary<string, double>? overrides = null) =>
        new(Semantics, dtype, "cpu", overrides, Shape.Heads);
}
