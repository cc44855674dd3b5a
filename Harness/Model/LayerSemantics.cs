namespace Harness.Model;

/// <summary>How the attention scores are scaled before the mask and softmax.</summary>
public enum ScoreScale
{
    /// <summary>1/sqrt(D) (Hugging Face: 1/8 for bert-base).</summary>
    InverseSqrtHeadSize,

    /// <summary>half(1)/hsqrt(half(M)) rounded to fp16 (Souffle: 1/sqrt(768)).</summary>
    Fp16InverseSqrtModelWidth,

    /// <summary>1/sqrt(M) in full precision.</summary>
    InverseSqrtModelWidth,

    /// <summary>No scaling.</summary>
    None,
}

/// <summary>How the softmax is computed.</summary>
public enum SoftmaxStyle
{
    /// <summary>Row maximum subtracted, computed in fp32 (or wider).</summary>
    MaxSubtracted,

    /// <summary>Souffle: exp in fp16 without max subtraction (overflows past ~11.09), fp32 row sums, probs = half(float(e)·(1/sum)).</summary>
    Fp16ExpWithoutMax,
}

/// <summary>The FFN activation.</summary>
public enum Activation
{
    GeluErf,
    GeluTanh,
    Relu,
}

/// <summary>How LayerNorm computes its statistics and applies its affine.</summary>
public enum LayerNormStyle
{
    /// <summary>Hugging Face: two-pass mean/variance, per-channel gamma and beta, eps inside the root.</summary>
    PerChannelAffine,

    /// <summary>Souffle: one-pass Σx, Σx² (fp32), var = (Σx² − (Σx)²/M)/M, eps inside the root, mean rounded to fp16, std rounded to fp16 and then its reciprocal (with fp16 rounding points), scalar gamma and beta.</summary>
    ScalarAffineFromSums,

    /// <summary>Normalisation only: gamma 1, beta 0.</summary>
    NoAffine,
}

/// <summary>Where eps enters the LayerNorm denominator.</summary>
public enum EpsPlacement
{
    /// <summary>1/sqrt(var + eps), as both Hugging Face and Souffle do.</summary>
    InsideRoot,

    /// <summary>1/(sqrt(var) + eps).</summary>
    OutsideRoot,
}

/// <summary>Rounding applied when an fp16 accumulator absorbs a group of products.</summary>
public enum AccumulationRounding
{
    NearestEven,
    TowardZero,
}

/// <summary>
/// How a GEMM accumulates. <see cref="GroupSize"/> = 0 means wide (fp32 or better) accumulation; k ≥ 1 emulates an
/// fp16 tensor-core accumulator that adds groups of k exact products and rounds once per group (docs/SEMANTICS.md §4).
/// </summary>
public sealed record AccumulationModel(int GroupSize, AccumulationRounding Rounding = AccumulationRounding.NearestEven)
{
    public static AccumulationModel Wide { get; } = new(0);

    public bool IsWide => GroupSize == 0;

    public override string ToString() => IsWide ? "fp32" : $"fp16 k={GroupSize} {(Rounding == AccumulationRounding.NearestEven ? "rn" : "rz")}";
}

/// <summary>
/// The semantics of "a BERT layer", point by point (docs/SEMANTICS.md §2). The two presets are the Hugging Face BertLayer in eval
/// mode and the Souffle fused kernels; any mix is a valid semantics, so a kernel is compared like with like.
/// </summary>
public sealed record LayerSemantics
{
    public required string Name { get; init; }

    /// <summary>Whether the seven biases are added (false: every bias is treated as zero).</summary>
    public required bool UseBiases { get; init; }

    public required ScoreScale ScoreScale { get; init; }

    public required SoftmaxStyle Softmax { get; init; }

    public required Activation Activation { get; init; }

    public required LayerNormStyle LayerNorm { get; init; }

    public required double LayerNormEps { get; init; }

    public EpsPlacement EpsPlacement { get; init; } = EpsPlacement.InsideRoot;

    /// <summary>Residual adds rounded to fp16 (Souffle) rather than done in the working dtype.</summary>
    public required bool ResidualInFp16 { get; init; }

    /// <summary>GEMM accumulation; the seam where fp16 tensor-core accumulation is emulated.</summary>
    public AccumulationModel Accumulation { get; init; } = AccumulationModel.Wide;

    /// <summary>
    /// Round to fp16 wherever the Souffle kernels hold a value in half precision (GEMM outputs, bias adds, scaled and
    /// masked scores, exp, probabilities, LayerNorm mean, std and 1/std and every half2 step of the normalisation), whatever
    /// the run dtype. With it a float64 run computes the kernel's specified roundings exactly while its GEMMs stay exact.
    /// </summary>
    public bool Fp16RoundingPoints { get; init; }

    /// <summary>
    /// FC2 split along its reduction dimension over this many parts by interleaved k-tiles of <see cref="Fc2KTile"/>
    /// columns: part w holds the tiles w, w+n, w+2n, … in ascending order and is accumulated per
    /// <see cref="Accumulation"/>, the parts then added in order (in fp16 when the accumulation or the rounding points
    /// are fp16). 1 = no split; Souffle's feed-forward kernel splits over its 4 warps (docs/SEMANTICS.md §4).
    /// </summary>
    public int Fc2SplitK { get; init; } = 1;

    /// <summary>Width of FC2's k-tiles in <see cref="Fc2SplitK"/>: the tensor-core instruction's k (wmma 16x16x16).</summary>
    public const int Fc2KTile = 16;

    public static LayerSemantics HuggingFace { get; } = new()
    {
        Name = "huggingface",
        UseBiases = true,
        ScoreScale = ScoreScale.InverseSqrtHeadSize,
        Softmax = SoftmaxStyle.MaxSubtracted,
        Activation = Activation.GeluErf,
        LayerNorm = LayerNormStyle.PerChannelAffine,
        LayerNormEps = 1e-12,
        ResidualInFp16 = false,
    };

    public static LayerSemantics Souffle { get; } = new()
    {
        Name = "souffle",
        UseBiases = false,
        ScoreScale = ScoreScale.Fp16InverseSqrtModelWidth,
        Softmax = SoftmaxStyle.Fp16ExpWithoutMax,
        Activation = Activation.Relu,
        LayerNorm = LayerNormStyle.ScalarAffineFromSums,
        LayerNormEps = 1e-5,
        ResidualInFp16 = true,
        Fp16RoundingPoints = true,
        Fc2SplitK = 4,
    };

    public static LayerSemantics Preset(string name) => name.ToLowerInvariant() switch
    {
        "huggingface" or "hf" => HuggingFace,
        "souffle" => Souffle,
        _ => throw new ArgumentException($"unknown semantics preset '{name}'{Suggestions.DidYouMean(name, ["huggingface", "souffle"])}; expected huggingface or souffle"),
    };
}
