using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Why a scenario is blind, as data: what in its values makes the kernel defects of a <see cref="BlindSpot"/> invisible. Reporting words it.</summary>
public abstract record BlindSpotCause;

/// <summary>Every token row of the input is identical; <paramref name="ConstantInput"/> is the value when the whole input is one constant.</summary>
public sealed record IdenticalTokenRowsCause(double? ConstantInput, IReadOnlyList<string> DegenerateTensors) : BlindSpotCause;

/// <summary>What makes every score row constant over the keys.</summary>
public enum UniformScoresSource
{
    ScoresOverridden,
    IdenticalInputRows,
    KeysOverridden,
}

/// <summary>The softmax is uniform whatever the scale; <paramref name="Sequence"/> is S when no key is masked, null when the mask leaves fewer valid keys.</summary>
public sealed record UniformSoftmaxCause(UniformScoresSource Source, int? Sequence) : BlindSpotCause;

/// <summary>Every head's block of attn.context is the same: attn.context is constant, or every head computes the same values.</summary>
public sealed record IdenticalHeadsCause(bool ContextConstant) : BlindSpotCause;

/// <summary>A weight matrix that is one constant.</summary>
public sealed record ConstantWeightCause(LayerParameter Parameter, double Value) : BlindSpotCause;

/// <summary>A weight matrix equal to its own transpose.</summary>
public sealed record SymmetricWeightCause(LayerParameter Parameter) : BlindSpotCause;

/// <summary>The semantics <paramref name="Semantics"/> treats every linear bias as zero.</summary>
public sealed record BiasesUnusedCause(string Semantics) : BlindSpotCause;

/// <summary>Linear biases that are zero.</summary>
public sealed record ZeroBiasesCause(IReadOnlyList<LayerParameter> Biases) : BlindSpotCause;

/// <summary>Linear biases that are constant but not zero.</summary>
public sealed record ConstantBiasesCause(IReadOnlyList<LayerParameter> Biases) : BlindSpotCause;

/// <summary>The semantics <paramref name="Semantics"/> normalises without an affine.</summary>
public sealed record LayerNormWithoutAffineCause(string Semantics) : BlindSpotCause;

/// <summary>A per-channel LayerNorm affine whose gamma, beta or both are one constant (null where not constant).</summary>
public sealed record ConstantLayerNormAffineCause(LayerParameter Gamma, double? GammaValue, double? BetaValue) : BlindSpotCause;

/// <summary>The semantics <paramref name="Semantics"/> applies a scalar affine.</summary>
public sealed record ScalarLayerNormAffineCause(string Semantics, double Gamma, double Beta) : BlindSpotCause;

/// <summary>
/// Activations the reference replaces: <paramref name="Overrides"/> as set, the <paramref name="Stages"/> that produced
/// them, the parameters silenced beyond them, and tensors that become degenerate downstream.
/// </summary>
public sealed record ActivationOverridesCause(
    IReadOnlyList<ActivationOverride> Overrides,
    IReadOnlyList<OverriddenStage> Stages,
    IReadOnlyList<LayerParameter> Silenced,
    IReadOnlyList<string> NewlyDegenerate) : BlindSpotCause;

/// <summary>No key is masked; <paramref name="MaskPresent"/> tells a mask of all-valid keys from no mask.</summary>
public sealed record NoPaddingCause(bool MaskPresent) : BlindSpotCause;

/// <summary>Every one of <paramref name="Batch"/> batch rows masks the same keys.</summary>
public sealed record SameMaskCause(int Batch) : BlindSpotCause;

/// <summary>Two dimensions of the shape that are equal.</summary>
public enum DimensionCoincidence
{
    HeadsEqualHeadSize,
    SequenceEqualsHeads,
    SequenceEqualsHeadSize,
    SequenceEqualsModel,
    ModelEqualsIntermediate,
    SequenceEqualsIntermediate,
    BatchEqualsSequence,
    BatchEqualsHeads,
}

/// <summary>Dimensions of <paramref name="Shape"/> that coincide.</summary>
public sealed record ShapeCoincidencesCause(LayerShape Shape, IReadOnlyList<DimensionCoincidence> Coincidences) : BlindSpotCause;

/// <summary>A shape other than the one the upstream kernels run.</summary>
public sealed record NotUpstreamShapeCause(LayerShape Shape) : BlindSpotCause;
