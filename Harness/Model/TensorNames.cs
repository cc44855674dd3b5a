namespace Harness.Model;

/// <summary>
/// The canonical intermediates of a BERT layer, named exactly as reports, test names and dumps print them.
/// Their order is the dataflow order; it is also the index used by the native ABI (BK_T_* in bert_kernels.h).
/// </summary>
public static class TensorNames
{
    public const string Input = "input";
    public const string AttnQ = "attn.q";
    public const string AttnK = "attn.k";
    public const string AttnV = "attn.v";
    public const string AttnQkv = "attn.qkv";
    public const string AttnScoresRaw = "attn.scores_raw";
    public const string AttnScores = "attn.scores";
    public const string AttnSoftmaxRowSum = "attn.softmax_rowsum";
    public const string AttnProbs = "attn.probs";
    public const string AttnContext = "attn.context";
    public const string AttnDense = "attn.dense";
    public const string AttnLnSum = "attn.ln_sum";
    public const string AttnLnSumSq = "attn.ln_sumsq";
    public const string AttnOutput = "attn.output";
    public const string FfnFc1Linear = "ffn.fc1_linear";
    public const string FfnFc1 = "ffn.fc1";
    public const string FfnFc2Linear = "ffn.fc2_linear";
    public const string FfnLnSum = "ffn.ln_sum";
    public const string FfnLnSumSq = "ffn.ln_sumsq";
    public const string Output = "output";

    /// <summary>Every intermediate a kernel can produce, in dataflow order; index = native BK_T_* code.</summary>
    public static IReadOnlyList<string> Produced { get; } =
    [
        AttnQ, AttnK, AttnV, AttnQkv, AttnScoresRaw, AttnScores, AttnSoftmaxRowSum, AttnProbs, AttnContext,
        AttnDense, AttnLnSum, AttnLnSumSq, AttnOutput, FfnFc1Linear, FfnFc1, FfnFc2Linear, FfnLnSum, FfnLnSumSq, Output,
    ];

    /// <summary>The reference trace: <see cref="Input"/> followed by <see cref="Produced"/>.</summary>
    public static IReadOnlyList<string> DataflowOrder { get; } = [Input, .. Produced];

    /// <summary>Position in dataflow order; throws for an unknown name.</summary>
    public static int OrderOf(string name)
    {
        for (var i = 0; i < DataflowOrder.Count; i++)
        {
            if (DataflowOrder[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{name}' is not a canonical tensor name; known: {string.Join(", ", DataflowOrder)}", nameof(name));
    }

    /// <summary>Index of a produced tensor in <see cref="Produced"/>, i.e. its native BK_T_* code.</summary>
    public static int ProducedIndex(string name) => name == Input
        ? throw new ArgumentException("'input' is not produced by a kernel", nameof(name))
        : OrderOf(name) - 1;

    /// <summary>Accumulator tensors are float32 whatever the working dtype.</summary>
    public static bool IsFloat32Accumulator(string name) =>
        name is AttnSoftmaxRowSum or AttnLnSum or AttnLnSumSq or FfnLnSum or FfnLnSumSq;

    /// <summary>The canonical shape of a tensor for a layer shape.</summary>
    public static long[] ShapeOf(string name, LayerShape s) => name switch
    {
        // Invariant: every product is taken in 64 bits, so a huge shape gives huge dimensions, never wrapped ones.
        Input or AttnContext or AttnDense or AttnOutput or FfnFc2Linear or Output => [s.Batch, s.Sequence, (long)s.Heads * s.HeadSize],
        AttnQ or AttnK or AttnV => [s.Batch, s.Heads, s.Sequence, s.HeadSize],
        AttnQkv => [3, (long)s.Batch * s.Heads, s.Sequence, s.HeadSize],
        AttnScoresRaw or AttnScores or AttnProbs => [s.Batch, s.Heads, s.Sequence, s.Sequence],
        AttnSoftmaxRowSum => [(long)s.Batch * s.Heads, s.Sequence],
        AttnLnSum or AttnLnSumSq or FfnLnSum or FfnLnSumSq => [(long)s.Batch * s.Sequence],
        FfnFc1Linear or FfnFc1 => [s.Batch, s.Sequence, s.Intermediate],
        _ => throw new ArgumentException($"'{name}' is not a canonical tensor name", nameof(name)),
    };
}
