using Harness.Diagnosis.Hypotheses;
using Harness.Model;

namespace Harness.Diagnosis;

/// <summary>
/// One finding of a layer diagnosis, as data: what it is about (tensors, stages, hypotheses, numbers), never its
/// wording. Reporting turns each into a line (Harness/Reporting/FindingText.cs). Most important first in a list.
/// </summary>
public abstract record LayerFinding;

/// <summary>Every compared tensor is within budget: nothing to diagnose.</summary>
public sealed record NothingToDiagnose(string Variant, string ReferenceSemantics) : LayerFinding;

/// <summary>The first tensor, in dataflow order, that fails.</summary>
public sealed record FirstDivergence(string Variant, string ReferenceSemantics, string Scenario, string Tensor) : LayerFinding;

/// <summary>
/// Error enters at <paramref name="Stage"/>: its failing tensors, the largest share of the budget the stage itself
/// introduces (NaN when unusable), the best-ranked hypothesis (null when none applies) and the other explaining ones.
/// </summary>
public sealed record ErrorEntersStage(
    string Stage,
    IReadOnlyList<string> FailingTensors,
    double IntroducedBudgetUsed,
    HypothesisResult? Best,
    IReadOnlyList<string> AlsoExplainedBy) : LayerFinding;

/// <summary>A tensor's budget use end to end (the table's verdict) and of its own stage alone (stage isolation).</summary>
public sealed record TensorBudgets(string Tensor, double EndToEndBudgetUsed, double OwnStepBudgetUsed);

/// <summary>
/// Tensors within budget end to end whose own stage still introduces error: the table judges against the truth with
/// the budget of the layer up to the tensor, stage isolation judges the stage alone with the tighter budget of one step.
/// </summary>
public sealed record WithinBudgetYetIntroducing(IReadOnlyList<TensorBudgets> Tensors) : LayerFinding;

/// <summary>
/// The fp16 accumulation models (hypothesis names) that explain every GEMM stage some accumulation model explains;
/// empty when no single model explains them all.
/// </summary>
public sealed record CommonGemmAccumulation(IReadOnlyList<string> Models, IReadOnlyList<string> GemmStages) : LayerFinding;

/// <summary>The accumulation group refitted to the QKV projections: the models that reproduce them exactly, else the closest one.</summary>
public sealed record AccumulationGroupFit(IReadOnlyList<AccumulationModel> ExactModels, AccumulationModel Closest, double ClosestMaxAbs) : LayerFinding;

/// <summary>Tensors that fail only through their inputs: within budget given the kernel's own upstream tensors.</summary>
public sealed record InheritedOnly(IReadOnlyList<string> Tensors) : LayerFinding;

/// <summary>A folded segment (several stages recomputed as one) that introduces error: the error is the segment's.</summary>
public sealed record FoldedSegmentIntroducesError(StageSegment Segment) : LayerFinding;

/// <summary>A hypothesis this layer's values cannot show, with the reason.</summary>
public sealed record CannotBeShown(string Hypothesis, UnshowableReason Reason) : LayerFinding;

/// <summary>Stages that introduce error and that no hypothesis explains.</summary>
public sealed record NoHypothesisExplains(IReadOnlyList<string> Stages) : LayerFinding;

/// <summary>The scenario overrides these tensors in the reference only (a kernel cannot apply them).</summary>
public sealed record ReferenceOnlyOverrides(IReadOnlyList<KeyValuePair<string, double>> Overrides) : LayerFinding;
