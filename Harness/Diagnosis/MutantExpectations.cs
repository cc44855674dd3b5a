using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>What diagnosing one mutant must find, taken from its documented defect (native/src/cpu/mutant_*.cpp headers).</summary>
/// <param name="Semantics">The semantics under which the defect is visible on the small scenario.</param>
/// <param name="FirstTensor">The first canonical tensor the defect touches.</param>
/// <param name="Hypothesis">The name (<see cref="HypothesisNames"/>) of the hypothesis that describes the defect, or null when none does (e.g. an unwritten tile is a pattern, not a semantics).</param>
public sealed record MutantExpectation(string Mutant, LayerSemantics Semantics, string FirstTensor, string? Hypothesis);

/// <summary>
/// The expected findings for every mutant, written from the mutants' file headers, never from the diagnosis code:
/// the mutation score compares the diagnosis with this table.
/// </summary>
public static class MutantExpectations
{
    public static IReadOnlyList<MutantExpectation> All { get; } =
    [
        new("cpu-mutant-dense-untransposed", LayerSemantics.HuggingFace, AttnDense, HypothesisNames.WeightUntransposed(Gemm.AttentionDense)),
        new("cpu-mutant-heads-merged-wrong", LayerSemantics.HuggingFace, AttnContext, HypothesisNames.HeadsMergedWrongOrder),
        new("cpu-mutant-last-tile-unwritten", LayerSemantics.HuggingFace, Output, null),
        new("cpu-mutant-ln1-no-residual", LayerSemantics.HuggingFace, AttnLnSum, HypothesisNames.ResidualMissing),
        // Visible under Souffle's eps 1e-5 only; with Hugging Face's 1e-12 the change is below fp32 resolution.
        new("cpu-mutant-ln-eps-outside-root", LayerSemantics.Souffle, AttnOutput, HypothesisNames.LayerNormEpsOutsideRoot),
        new("cpu-mutant-ln-no-affine", LayerSemantics.HuggingFace, AttnOutput, HypothesisNames.LayerNormWithoutAffine),
        new("cpu-mutant-pv-fp16-accum", LayerSemantics.HuggingFace, AttnContext, HypothesisNames.Accumulation(new AccumulationModel(1))),
        new("cpu-mutant-qkv-bias-ignored", LayerSemantics.HuggingFace, AttnQ, HypothesisNames.BiasMissing(Gemm.Qkv)),
        new("cpu-mutant-relu", LayerSemantics.HuggingFace, FfnFc1, HypothesisNames.ActivationRelu),
        new("cpu-mutant-scale-model-width", LayerSemantics.HuggingFace, AttnScores, HypothesisNames.ScoreScaleModelWidth),
        new("cpu-mutant-softmax-no-max", LayerSemantics.HuggingFace, AttnSoftmaxRowSum, HypothesisNames.SoftmaxWithoutMaxFp16Exp),
    ];

    public static MutantExpectation? For(string mutant) => All.FirstOrDefault(e => e.Mutant == mutant);
}
