namespace Harness.Diagnosis.Invariants;

/// <summary>The names of the reference-free checks, as results and reports print them.</summary>
public static class InvariantNames
{
    public const string Finite = "finite";
    public const string Fp16Range = "finite and inside fp16 range";
    public const string ProbabilityRowSum = "probability rows sum to 1";
    public const string ProbabilityRange = "probabilities inside [0, 1]";
    public const string SoftmaxRowSumPositive = "softmax row sums positive and finite";
    public const string LayerNormMean = "LayerNorm rows have mean 0 before the affine";
    public const string LayerNormVariance = "LayerNorm rows have variance 1 before the affine";
    public const string SumsConsistent = "Σx² ≥ (Σx)²/M";
    public const string SumsMatchInput = "Σx and Σx² match x";
    public const string OutputFromSums = "output equals LayerNorm rebuilt from Σx, Σx²";
    public const string QkvStack = "attn.qkv stacks attn.q, attn.k, attn.v";
    public const string ReluNonNegative = "ReLU outputs ≥ 0";
    public const string ReluOfLinear = "ffn.fc1 = ReLU(ffn.fc1_linear)";
}
