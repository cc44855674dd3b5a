using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>What a hypothesis is tried on: one stage of one verified layer.</summary>
/// <param name="Semantics">The verification's reference semantics (what the isolated recompute used).</param>
/// <param name="Weights">The layer's weights as the kernel received them (rounded to its dtype).</param>
public sealed record HypothesisSubject(
    StageInfo Stage,
    LayerSemantics Semantics,
    LayerWeights Weights,
    LayerShape Shape,
    ElementType KernelDtype,
    int AccumulationGroup,
    AccumulationRounding AccumulationRounding);
