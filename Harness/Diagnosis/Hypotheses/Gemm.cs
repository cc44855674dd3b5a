using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The four weight GEMMs of a layer, with the stage that runs each and accessors for its weights.</summary>
public sealed record Gemm(string Label, string Stage, string Output, Func<LayerWeights, IReadOnlyList<HostTensor>> WeightsOf, Func<LayerWeights, IReadOnlyList<HostTensor>> BiasesOf, Func<LayerWeights, Func<HostTensor, HostTensor>, LayerWeights> MapWeights, Func<LayerWeights, Func<HostTensor, HostTensor>, LayerWeights> MapBiases)
{
    public static Gemm Qkv { get; } = new("QKV", StageNames.Projections, AttnQ,
        w => [w.QueryWeight, w.KeyWeight, w.ValueWeight], w => [w.QueryBias, w.KeyBias, w.ValueBias],
        (w, f) => w with { QueryWeight = f(w.QueryWeight), KeyWeight = f(w.KeyWeight), ValueWeight = f(w.ValueWeight) },
        (w, f) => w with { QueryBias = f(w.QueryBias), KeyBias = f(w.KeyBias), ValueBias = f(w.ValueBias) });

    public static Gemm AttentionDense { get; } = new("attention dense", StageNames.AttentionDense, AttnDense,
        w => [w.AttentionOutputWeight], w => [w.AttentionOutputBias],
        (w, f) => w with { AttentionOutputWeight = f(w.AttentionOutputWeight) },
        (w, f) => w with { AttentionOutputBias = f(w.AttentionOutputBias) });

    public static Gemm Fc1 { get; } = new("FC1", StageNames.Fc1, FfnFc1Linear,
        w => [w.IntermediateWeight], w => [w.IntermediateBias],
        (w, f) => w with { IntermediateWeight = f(w.IntermediateWeight) },
        (w, f) => w with { IntermediateBias = f(w.IntermediateBias) });

    public static Gemm Fc2 { get; } = new("FC2", StageNames.Fc2, FfnFc2Linear,
        w => [w.OutputWeight], w => [w.OutputBias],
        (w, f) => w with { OutputWeight = f(w.OutputWeight) },
        (w, f) => w with { OutputBias = f(w.OutputBias) });

    public static IReadOnlyList<Gemm> All { get; } = [Qkv, AttentionDense, Fc1, Fc2];

    /// <summary>The tensors a defect in this GEMM touches first (the Q, K, V projections count as one GEMM).</summary>
    public IReadOnlyList<string> Tensors => Stage == StageNames.Projections ? [AttnQ, AttnK, AttnV, AttnQkv] : [Output];
}
