using Harness.Model;
using Microsoft.ML.Tokenizers;

namespace Harness.Scenarios;

/// <summary>The hidden states BERT's embedding layer gives a text: tokens, then word + position + token-type(0) embeddings and LayerNorm.</summary>
public sealed record EmbeddedText(HostTensor Hidden, int ValidLength, int TokenCount, bool Truncated, IReadOnlyList<int> TokenIds);

/// <summary>Tokenises with Microsoft.ML.Tokenizers' BertTokenizer and embeds with the checkpoint's tables, in float64.</summary>
public static class TextEmbedding
{
    /// <summary>Hugging Face's BertEmbeddings LayerNorm epsilon.</summary>
    public const double LayerNormEps = 1e-12;

    /// <summary>
    /// [CLS] text [SEP], truncated to S (the text is cut, [SEP] kept) and padded with [PAD]; every batch row holds the
    /// same text. ValidLength counts the non-padding tokens.
    /// </summary>
    public static EmbeddedText Embed(string text, BertVocabulary vocabulary, EmbeddingWeights embeddings, LayerShape shape)
    {
        if (shape.Sequence < 2)
        {
            throw new ArgumentException($"text input needs sequence ≥ 2 for [CLS] and [SEP], got {shape.Sequence}");
        }

        if (embeddings.Model != shape.Model)
        {
            throw new ArgumentException($"embedding width {embeddings.Model} differs from the scenario's model width {shape.Model} ({shape})");
        }

        if (embeddings.Position.Shape[0] < shape.Sequence)
        {
            throw new ArgumentException($"the checkpoint has {embeddings.Position.Shape[0]} position embeddings, fewer than sequence {shape.Sequence}");
        }

        using var vocabularyStream = vocabulary.Open();
        var tokenizer = BertTokenizer.Create(vocabularyStream);
        var words = tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var kept = Math.Min(words.Count, shape.Sequence - 2);
        var ids = new List<int>(shape.Sequence) { tokenizer.ClassificationTokenId };
        ids.AddRange(words.Take(kept));
        ids.Add(tokenizer.SeparatorTokenId);
        var validLength = ids.Count;
        while (ids.Count < shape.Sequence)
        {
            ids.Add(tokenizer.PaddingTokenId);
        }

        var vocabularyRows = embeddings.Word.Shape[0];
        var outOfRange = ids.FirstOrDefault(id => id < 0 || id >= vocabularyRows, -1);
        if (outOfRange >= 0)
        {
            throw new ArgumentException($"token id {outOfRange} from '{vocabulary.Source}' is beyond the checkpoint's {vocabularyRows} word embeddings");
        }

        var m = shape.Model;
        var row = new double[m];
        var data = new double[(long)shape.Batch * shape.Sequence * m];
        for (var s = 0; s < shape.Sequence; s++)
        {
            for (var j = 0; j < m; j++)
            {
                row[j] = embeddings.Word.Data[((long)ids[s] * m) + j] + embeddings.Position.Data[((long)s * m) + j] + embeddings.TokenType.Data[j];
            }

            Normalize(row, embeddings);
            for (var b = 0; b < shape.Batch; b++)
            {
                row.CopyTo(data.AsSpan((int)((((long)b * shape.Sequence) + s) * m), m));
            }
        }

        var hidden = new HostTensor([shape.Batch, shape.Sequence, m], data, ElementType.Float64);
        return new EmbeddedText(hidden, validLength, words.Count + 2, words.Count > kept, ids);
    }

    private static void Normalize(double[] row, EmbeddingWeights embeddings)
    {
        var mean = row.Average();
        var variance = row.Select(v => (v - mean) * (v - mean)).Average();
        var inverseStd = 1 / Math.Sqrt(variance + LayerNormEps);
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = ((row[j] - mean) * inverseStd * embeddings.LayerNormGamma.Data[j]) + embeddings.LayerNormBeta.Data[j];
        }
    }
}
