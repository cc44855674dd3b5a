using Harness.Comparison;

namespace Harness.Diagnosis;

/// <summary>One kernel output, diagnosed.</summary>
/// <param name="Isolation">Its stage recomputed from the kernel's own upstream tensors.</param>
/// <param name="Hypotheses">The hypotheses for its stage, when the stage introduces error; null otherwise.</param>
public sealed record TensorDiagnosis(TensorVerdict Verdict, DivergenceKind Kind, IsolatedTensor? Isolation, StageHypotheses? Hypotheses)
{
    public string Name => Verdict.Name;
}
