using Harness.Model;

namespace Harness.Scenarios;

/// <summary>BERT's embedding parameters: word [V,M], position [P,M], token type [T,M], LayerNorm gamma and beta [M].</summary>
public sealed record EmbeddingWeights(HostTensor Word, HostTensor Position, HostTensor TokenType, HostTensor LayerNormGamma, HostTensor LayerNormBeta)
{
    /// <summary>Checkpoint names (after the optional "bert." prefix) with their accessors.</summary>
    public static IReadOnlyList<(string Name, Func<EmbeddingWeights, HostTensor> Get)> Parameters { get; } =
    [
        ("embeddings.word_embeddings.weight", e => e.Word),
        ("embeddings.position_embeddings.weight", e => e.Position),
        ("embeddings.token_type_embeddings.weight", e => e.TokenType),
        ("embeddings.LayerNorm.weight", e => e.LayerNormGamma),
        ("embeddings.LayerNorm.bias", e => e.LayerNormBeta),
    ];

    public int Model => (int)Word.Shape[1];
}
