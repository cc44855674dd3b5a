using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>What diagnosing one mutant must find, taken from its documented defect (native/src/cpu/mutant_*.cpp headers).</summary>
/// <param name="Semantics">The semantics under which the defect is visible on the small scenario.</param>
/// <param name="FirstTensor">The first canonical tensor the defect touches.</param>
/// <param name="Hypothesis">The hypothesis that describes the defect, or null when none does (e.g. an unwritten tile is a pattern, not a semantics).</param>
public sealed record MutantExpectation(string Mutant, LayerSemantics Semantics, string FirstTensor, string? Hypothesis);

/// <summary>
/// The expected findings for every mutant, written from the mutants' file headers, never from the diagnosis code:
/// the mutation score compares the diagnosis with this table.
/// </summary>
public static class MutantExpectations
{
    public static IReadOnlyList<MutantExpectation> All { get; } =
    [
        new("cpu-mutant-dense-untransposed", LayerSemantics.HuggingFace, AttnDense, "attention dense weight untransposed"),
        new("cpu-mutant-heads-merged-wrong", LayerSemantics.HuggingFace, AttnContext, "heads merged d*H+h"),
        new("cpu-mutant-last-tile-unwritten", LayerSemantics.HuggingFace, Output, null),
        new("cpu-mutant-ln1-no-residual", LayerSemantics.HuggingFace, AttnLnSum, "residual missing"),
        // Visible under Souffle's eps 1e-5 only; with Hugging Face's 1e-12 the change is below fp32 resolution.
        new("cpu-mutant-ln-eps-outside-root", LayerSemantics.Souffle, AttnOutput, "LayerNorm eps outside the root"),
        new("cpu-mutant-ln-no-affine", LayerSemantics.HuggingFace, AttnOutput, "LayerNorm without affine"),
        new("cpu-mutant-pv-fp16-accum", LayerSemantics.HuggingFace, AttnContext, AccumulationHypotheses.NameOf(new AccumulationModel(1))),
        new("cpu-mutant-qkv-bias-ignored", LayerSemantics.HuggingFace, AttnQ, "QKV bias missing"),
        new("cpu-mutant-relu", LayerSemantics.HuggingFace, FfnFc1, "activation ReLU"),
        new("cpu-mutant-scale-model-width", LayerSemantics.HuggingFace, AttnScores, "score scale 1/sqrt(M)"),
        new("cpu-mutant-softmax-no-max", LayerSemantics.HuggingFace, AttnSoftmaxRowSum, "softmax without max subtraction, fp16 exp"),
    ];

    public static MutantExpectation? For(string mutant) => All.FirstOrDefault(e => e.Mutant == mutant);
}
