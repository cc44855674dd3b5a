namespace Harness.Diagnosis.Scenarios;

/// <summary>A kernel defect a blind spot hides, as data: its kind, and the parameter or stage it concerns where the kind names one. Reporting words it.</summary>
public sealed record HiddenDefect(DefectKind Kind, LayerParameter? Parameter = null, OverriddenStage? Stage = null);

/// <summary>The stages whose output an activation override replaces, in dataflow order.</summary>
public enum OverriddenStage
{
    QkvProjection,
    QkProduct,
    ScoreScalingAndMask,
    Softmax,
    PvProductAndHeadMerge,
    AttentionDense,
    AttentionResidualAndLayerNorm,
    Fc1,
    FfnActivation,
    Fc2,
    FfnResidualAndLayerNorm,
}

/// <summary>The kinds of kernel defect a blind spot can hide; those ending in a parameter's name take <see cref="HiddenDefect.Parameter"/>.</summary>
public enum DefectKind
{
    // Token rows.
    TokenRowsReordered,
    QueryOrKeyRowsPermuted,
    MaskAtWrongKeyPositions,
    ContextRowFromAnotherQuery,
    LayerNormStatisticsFromAnotherRow,
    ResidualFromAnotherRow,
    BatchRowsSwapped,

    // Softmax and heads.
    ScaleOverSqrtModel,
    ScaleMissing,
    ScaleAppliedTwice,
    RowMaxNotSubtracted,
    KeysPermuted,
    HeadsPairedWrongly,
    HeadsMergedInAnotherOrder,
    HeadsPermuted,
    HeadColumnOrderWrong,
    ColumnsWithinHeadPermuted,

    // Weights of one parameter.
    WeightUntransposed,
    WeightRowsOrColumnsPermuted,
    WeightWrongLeadingDimension,

    // Biases.
    QkvBiasIgnored,
    BiasIgnored,
    QkvBiasesSwapped,
    Fc1BiasAfterActivation,
    AttentionDenseBiasAfterResidual,
    Fc2BiasAfterResidual,
    BiasAddedToAnotherProjection,
    BiasWrongDimension,

    // LayerNorm of one parameter group (the parameter is its gamma).
    LayerNormScalarAffine,
    LayerNormAffineWrongDimension,
    LayerNormGammaBetaSwapped,
    LayerNormGammaIgnored,
    LayerNormBetaIgnored,
    LayerNormScalarGammaIgnored,
    LayerNormScalarBetaIgnored,

    // Activation overrides.
    AnyErrorInStage,
    QkvGemmFp16Accumulation,

    // Mask.
    MaskIgnored,
    MaskOnQueryRows,
    MaskFromWrongBatchRow,
    MaskedProbabilitiesNotZero,
    MaskAfterSoftmax,
    OneBatchRowMaskForAll,
    MaskWithoutBatchOffset,

    // Shape.
    HeadsSplitAsDH,
    QkvWithoutPermute,
    KNotTransposed,
    InputOrContextTransposed,
    Fc1Fc2Swapped,
    Fc1Transposed,
    BatchSequenceSwapped,
    BatchHeadsSwapped,
    UpstreamTiling,
    UpstreamFp16Accumulation,
    UpstreamExpOverflow,
}
