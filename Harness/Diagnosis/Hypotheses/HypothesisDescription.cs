using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>What a hypothesis supposes the kernel computes, with its parameters; Reporting words it ("best explanation: ...").</summary>
public abstract record HypothesisDescription;

/// <summary>The attention scores scaled by another factor.</summary>
public sealed record ScoreScaleDescription(ScoreScale Scale) : HypothesisDescription;

/// <summary>Another FFN activation.</summary>
public sealed record ActivationDescription(Activation Activation) : HypothesisDescription;

/// <summary>The softmax computed in another style.</summary>
public sealed record SoftmaxDescription(SoftmaxStyle Style) : HypothesisDescription;

/// <summary>LayerNorm with another eps, the one of <paramref name="Preset"/>.</summary>
public sealed record LayerNormEpsDescription(double Eps, LayerSemantics Preset) : HypothesisDescription;

/// <summary>LayerNorm with eps placed elsewhere.</summary>
public sealed record EpsPlacementDescription(EpsPlacement Placement) : HypothesisDescription;

/// <summary>LayerNorm computed in another style.</summary>
public sealed record LayerNormStyleDescription(LayerNormStyle Style) : HypothesisDescription;

/// <summary>LayerNorm with one scalar gamma and beta for every channel.</summary>
public sealed record ScalarAffineDescription : HypothesisDescription;

/// <summary>The GEMMs accumulated in fp16 by this model.</summary>
public sealed record AccumulationDescription(AccumulationModel Model) : HypothesisDescription;

/// <summary>The whole other preset for the stage.</summary>
public sealed record PresetDescription(LayerSemantics Preset) : HypothesisDescription;

/// <summary>The bias of this GEMM not added.</summary>
public sealed record BiasMissingDescription(Gemm Gemm) : HypothesisDescription;

/// <summary>The weight of this GEMM used untransposed.</summary>
public sealed record WeightUntransposedDescription(Gemm Gemm) : HypothesisDescription;

/// <summary>The residual not added before the LayerNorm.</summary>
public sealed record ResidualMissingDescription : HypothesisDescription;

/// <summary>The heads merged back in the wrong order.</summary>
public sealed record HeadsMergedDescription : HypothesisDescription;

/// <summary>A pair tried on a segment: <paramref name="Folded"/> at a folded stage with <paramref name="Judged"/> at the judged stage.</summary>
public sealed record PairDescription(HypothesisDescription Folded, HypothesisDescription Judged) : HypothesisDescription;
