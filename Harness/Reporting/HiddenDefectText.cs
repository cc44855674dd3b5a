using Harness.Diagnosis.Scenarios;

namespace Harness.Reporting;

/// <summary>The words of a defect a blind spot hides: one short phrase each, in the project's words.</summary>
public static class HiddenDefectText
{
    public static IReadOnlyList<string> Lines(IEnumerable<HiddenDefect> defects) => defects.Select(Line).ToList();

    public static string Line(HiddenDefect defect)
    {
        ArgumentNullException.ThrowIfNull(defect);
        var noun = defect.Parameter is { } p ? LayerParameterText.Noun(p) : null;
        return defect.Kind switch
        {
            DefectKind.TokenRowsReordered => "token rows read in another order (row permutation or wrong row stride)",
            DefectKind.QueryOrKeyRowsPermuted => "query rows or key rows swapped or permuted",
            DefectKind.MaskAtWrongKeyPositions => "mask applied at the wrong key positions (cannot show after P·V)",
            DefectKind.ContextRowFromAnotherQuery => "context row taken from another query position",
            DefectKind.LayerNormStatisticsFromAnotherRow => "LayerNorm statistics (Σx, Σx²) taken from another token row",
            DefectKind.ResidualFromAnotherRow => "residual added from another token row",
            DefectKind.BatchRowsSwapped => "batch rows swapped or read from the wrong batch offset",
            DefectKind.ScaleOverSqrtModel => "softmax scale 1/sqrt(M) instead of 1/sqrt(D)",
            DefectKind.ScaleMissing => "softmax scale missing (scores not scaled)",
            DefectKind.ScaleAppliedTwice => "softmax scale applied twice",
            DefectKind.RowMaxNotSubtracted => "row maximum not subtracted before exp (shows only if exp overflows in fp16)",
            DefectKind.KeysPermuted => "keys permuted within a score row",
            DefectKind.HeadsPairedWrongly => "query and key heads paired wrongly",
            DefectKind.HeadsMergedInAnotherOrder => "heads merged in another order",
            DefectKind.HeadsPermuted => "heads permuted (a head read from another head's block)",
            DefectKind.HeadColumnOrderWrong => "head split or merge with the wrong column order (d·H + head instead of head·D + d)",
            DefectKind.ColumnsWithinHeadPermuted => "columns within a head permuted",
            DefectKind.WeightUntransposed => $"{noun} weight used untransposed",
            DefectKind.WeightRowsOrColumnsPermuted => $"{noun} weight rows or columns permuted",
            DefectKind.WeightWrongLeadingDimension => $"{noun} weight read with the wrong leading dimension ([in, out] taken for [out, in])",
            DefectKind.QkvBiasIgnored => "QKV bias ignored",
            DefectKind.BiasIgnored => $"{noun} bias ignored",
            DefectKind.QkvBiasesSwapped => "query, key and value biases swapped with each other",
            DefectKind.Fc1BiasAfterActivation => "FC1 bias added after the activation instead of before",
            DefectKind.AttentionDenseBiasAfterResidual => "attention dense bias added after the residual or the LayerNorm",
            DefectKind.Fc2BiasAfterResidual => "FC2 bias added after the residual or the LayerNorm",
            DefectKind.BiasAddedToAnotherProjection => $"{noun} bias added to another projection",
            DefectKind.BiasWrongDimension => $"{noun} bias indexed by the wrong dimension",
            DefectKind.LayerNormScalarAffine => $"{noun} applied with a scalar gamma and beta instead of per-channel ones",
            DefectKind.LayerNormAffineWrongDimension => $"{noun} gamma or beta indexed by the wrong dimension",
            DefectKind.LayerNormGammaBetaSwapped => $"{noun} gamma and beta swapped",
            DefectKind.LayerNormGammaIgnored => $"{noun} gamma ignored",
            DefectKind.LayerNormBetaIgnored => $"{noun} beta ignored",
            DefectKind.LayerNormScalarGammaIgnored => $"{noun} scalar gamma ignored",
            DefectKind.LayerNormScalarBetaIgnored => $"{noun} scalar beta ignored",
            DefectKind.AnyErrorInStage => $"any error in {Stage(defect.Stage ?? throw new ArgumentException("AnyErrorInStage without a stage", nameof(defect)))}",
            DefectKind.QkvGemmFp16Accumulation => "fp16 accumulation error in the QKV GEMM",
            DefectKind.MaskIgnored => "attention mask ignored",
            DefectKind.MaskOnQueryRows => "mask added to query rows instead of key columns",
            DefectKind.MaskFromWrongBatchRow => "mask taken from the wrong batch row",
            DefectKind.MaskedProbabilitiesNotZero => "masked probabilities not exactly 0",
            DefectKind.MaskAfterSoftmax => "mask added after the softmax instead of before",
            DefectKind.OneBatchRowMaskForAll => "mask of one batch row used for every batch row",
            DefectKind.MaskWithoutBatchOffset => "mask indexed without its batch offset",
            DefectKind.HeadsSplitAsDH => "heads split as [D, H] instead of [H, D] (column d·H + head)",
            DefectKind.QkvWithoutPermute => "Q, K, V returned as [B, S, H, D] instead of [B, H, S, D] (head split without the permute)",
            DefectKind.KNotTransposed => "Q·K taken without transposing K, or Q, K, V returned as [B, H, D, S]",
            DefectKind.InputOrContextTransposed => "input or attn.context read transposed ([M, S] for [S, M])",
            DefectKind.Fc1Fc2Swapped => "FC1 and FC2 weights swapped, or used untransposed",
            DefectKind.Fc1Transposed => "ffn.fc1 produced transposed ([F, S] for [S, F])",
            DefectKind.BatchSequenceSwapped => "batch and sequence dimensions swapped",
            DefectKind.BatchHeadsSwapped => "batch and head dimensions swapped",
            DefectKind.UpstreamTiling => "errors in the upstream tiling or shared-memory layout for S=384, M=768, F=3072",
            DefectKind.UpstreamFp16Accumulation => "fp16 accumulation error that only grows over bert-base reduction lengths (M=768, F=3072)",
            DefectKind.UpstreamExpOverflow => "fp16 exp overflow that only bert-base score magnitudes reach",
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect.Kind, "a defect without words"),
        };
    }

    /// <summary>"the QKV projection (GEMM, QKV bias, head split)": a stage whose output an override replaces.</summary>
    public static string Stage(OverriddenStage stage) => stage switch
    {
        OverriddenStage.QkvProjection => "the QKV projection (GEMM, QKV bias, head split)",
        OverriddenStage.QkProduct => "the Q·Kᵀ product",
        OverriddenStage.ScoreScalingAndMask => "the score scaling and mask add",
        OverriddenStage.Softmax => "the softmax",
        OverriddenStage.PvProductAndHeadMerge => "the P·V product and head merge",
        OverriddenStage.AttentionDense => "the attention dense GEMM and bias",
        OverriddenStage.AttentionResidualAndLayerNorm => "the attention residual add and LayerNorm",
        OverriddenStage.Fc1 => "the FC1 GEMM and bias",
        OverriddenStage.FfnActivation => "the FFN activation",
        OverriddenStage.Fc2 => "the FC2 GEMM and bias",
        _ => "the FFN residual add and LayerNorm",
    };
}
