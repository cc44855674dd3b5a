using System.Collections.Concurrent;
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

    // The last layer drawn: a verification with --compare-with materialises a second scenario, usually of the same
    // shape and seed (seed-case and activation-override), and drawing 7M values again took 0.4 s on one core.
    // Invariant: host tensors are never changed after they are made (scenarios replace parameters, never write into
    // them), so one LayerWeights can serve every caller.
    private static readonly Lock LastLock = new();
    private static (LayerShape Shape, int Seed, LayerWeights Weights)? last;

    public static LayerWeights Create(LayerShape shape, int seed)
    {
        shape.Validate();
        lock (LastLock)
        {
            if (last is { } known && known.Shape == shape && known.Seed == seed)
            {
                return known.Weights;
            }
        }

        // Each parameter has its own random stream, so they are drawn in parallel with the same values: largest first,
        // one at a time to whichever thread is free. The drawing is in Select: PLINQ's ToDictionary calls its selectors
        // on the consuming thread, which drew them all one after another.
        var largestFirst = LayerWeights.Parameters
            .Select(p => (p.Suffix, Shape: LayerWeights.ExpectedShape(p.Suffix, shape)))
            .OrderByDescending(p => p.Shape.Aggregate(1L, (a, d) => a * d))
            .ToList();
        var parameters = Partitioner.Create(largestFirst, loadBalance: true).AsParallel()
            .Select(p => (p.Suffix, Tensor: Parameter(p.Suffix, p.Shape, seed)))
            .ToDictionary(p => p.Suffix, p => p.Tensor);
        var weights = LayerWeights.FromParameters(suffix => parameters[suffix]);
        lock (LastLock)
        {
            last = (shape, seed, weights);
        }

        return weights;
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
