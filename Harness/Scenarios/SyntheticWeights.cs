using Harness.Model;

namespace Harness.Scenarios;

/// <summary>
/// Deterministic BERT-like parameters: matrices and biases N(0, 0.02²) (BERT's initializer range), LayerNorm gamma
/// 1 + N(0, 0.05²), beta N(0, 0.02²). Values are rounded to float32, as a real checkpoint stores them, so a synthetic
/// checkpoint written and read back gives the identical layer.
/// </summary>
public static class SyntheticWeights
{
    public const double InitializerStd = 0.02;
    public const double LayerNormGammaStd = 0.05;

    public static LayerWeights Create(LayerShape shape, int seed)
    {
        shape.Validate();
        // Each parameter has its own random stream, so they are drawn in parallel with the same values.
        var parameters = LayerWeights.Parameters.AsParallel()
            .ToDictionary(p => p.Suffix, p => Parameter(p.Suffix, LayerWeights.ExpectedShape(p.Suffix, shape), seed));
        return LayerWeights.FromParameters(suffix => parameters[suffix]);
    }

    /// <summary>Embedding tables of a synthetic checkpoint: word [V,M], position [P,M], token type [T,M] N(0, 0.02²), LayerNorm as in a layer.</summary>
    public static EmbeddingWeights CreateEmbeddings(int vocabulary, int positions, int tokenTypes, int model, int seed) => new(
        Parameter("embeddings.word_embeddings.weight", [vocabulary, model], seed),
        Parameter("embeddings.position_embeddings.weight", [positions, model], seed),
        Parameter("embeddings.token_type_embeddings.weight", [tokenTypes, model], seed),
        Parameter("embeddings.LayerNorm.weight", [model], seed),
        Parameter("embeddings.LayerNorm.bias", [model], seed));

    /// <summary>One parameter by its Hugging Face name; its own random stream, so it does not depend on which others are made.</summary>
    public static HostTensor Parameter(string name, long[] shape, int seed)
    {
        var isGamma = name.EndsWith("LayerNorm.weight", StringComparison.Ordinal);
        var rng = SplitMix64.ForStream(seed, name);
        var data = new double[shape.Aggregate(1L, (a, d) => a * d)];
        for (var i = 0; i < data.Length; i++)
        {
            var v = isGamma ? 1 + rng.NextNormal(0, LayerNormGammaStd) : rng.NextNormal(0, InitializerStd);
            data[i] = (float)v;
        }

        return new HostTensor(shape, data, ElementType.Float32);
    }
}
