using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// Every hypothesis name, in one place: the hypotheses take their names from here, and whatever refers to a
/// hypothesis by name (the mutant expectations, reports, tests) uses the same member. Names are stable identifiers:
/// reports and mutant expectations refer to them.
/// </summary>
public static class HypothesisNames
{
    public const string ActivationRelu = "activation ReLU";
    public const string ActivationGeluErf = "activation GELU erf";
    public const string ActivationGeluTanh = "activation GELU tanh";

    public const string HeadsMergedWrongOrder = "heads merged d*H+h";

    public const string ResidualMissing = "residual missing";

    public const string LayerNormEps1e5 = "LayerNorm eps 1e-5";
    public const string LayerNormEps1e12 = "LayerNorm eps 1e-12";
    public const string LayerNormEpsOutsideRoot = "LayerNorm eps outside the root";
    public const string LayerNormOnePassFp16 = "LayerNorm one-pass sums, fp16 mean/rstd";
    public const string LayerNormWithoutAffine = "LayerNorm without affine";
    public const string LayerNormScalarAffine = "LayerNorm scalar affine";

    public const string ScoreScaleModelWidth = "score scale 1/sqrt(M)";
    public const string ScoreScaleHeadSize = "score scale 1/sqrt(D)";
    public const string NoScoreScale = "no score scale";
    public const string ScoreScaleFp16ModelWidth = "score scale fp16 1/sqrt(M)";

    public const string SoftmaxWithoutMaxFp16Exp = "softmax without max subtraction, fp16 exp";
    public const string SoftmaxWithMax = "softmax with max subtraction";

    /// <summary>E.g. "fp16 accumulation fp16 k=16 rn".</summary>
    public static string Accumulation(AccumulationModel model) => $"fp16 accumulation {model}";

    /// <summary>E.g. "QKV bias missing".</summary>
    public static string BiasMissing(Gemm gemm) => $"{gemm.Label} bias missing";

    /// <summary>E.g. "attention dense weight untransposed".</summary>
    public static string WeightUntransposed(Gemm gemm) => $"{gemm.Label} weight untransposed";

    /// <summary>E.g. "souffle semantics for this stage".</summary>
    public static string Preset(LayerSemantics preset) => $"{preset.Name} semantics for this stage";
}
