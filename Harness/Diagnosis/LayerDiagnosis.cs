using Harness.Comparison;
using Harness.Diagnosis.Invariants;
using Harness.Diagnosis.Patterns;
using Harness.Diagnosis.Scenarios;

namespace Harness.Diagnosis;

/// <summary>
/// Where an error enters a kernel's layer and why: plain data for Reporting to render. A record, so that further
/// analyses can be attached as new properties.
/// </summary>
public sealed record LayerDiagnosis
{
    public required LayerVerification Verification { get; init; }

    /// <summary>The first failing tensor in dataflow order; null when the kernel passed.</summary>
    public required string? Origin { get; init; }

    /// <summary>Every kernel output, in dataflow order.</summary>
    public required IReadOnlyList<TensorDiagnosis> Tensors { get; init; }

    /// <summary>Every stage whose outputs the kernel wrote, recomputed from the kernel's own upstream tensors (with the unwritten stages above it folded in).</summary>
    public required IReadOnlyList<StageIsolationResult> Isolation { get; init; }

    /// <summary>Ranked hypotheses for every stage that introduces error, in dataflow order.</summary>
    public required IReadOnlyList<StageHypotheses> Stages { get; init; }

    /// <summary>For an fp16 kernel: the fp16 accumulation models refitted to its projections, closest first (see <see cref="AccumulationFit"/>).</summary>
    public required IReadOnlyList<AccumulationCandidate> Accumulation { get; init; }

    /// <summary>Hypotheses this layer's values cannot distinguish (e.g. a missing bias when every bias is zero), with the reason.</summary>
    public required IReadOnlyList<UnshowableHypothesis> Unshowable { get; init; }

    /// <summary>The findings as typed records, most important first (Reporting words them: FindingText).</summary>
    public required IReadOnlyList<LayerFinding> Findings { get; init; }

    /// <summary>Where each failing tensor's mismatches sit (rows, tiles, heads, columns, padding).</summary>
    public IReadOnlyDictionary<string, ErrorPattern> Patterns { get; init; } = new Dictionary<string, ErrorPattern>();

    /// <summary>|kernel − truth| of each failing tensor, for error histograms.</summary>
    public IReadOnlyDictionary<string, double[]> AbsoluteErrors { get; init; } = new Dictionary<string, double[]>();

    /// <summary>Checks on the kernel's own tensors that need no reference.</summary>
    public IReadOnlyList<InvariantResult> Invariants { get; init; } = [];

    /// <summary>What the scenario could not have detected (empty when the scenario is not known).</summary>
    public IReadOnlyList<BlindSpot> BlindSpots { get; init; } = [];

    /// <summary>
    /// Tensors within budget end to end whose stage still introduces error of its own. Two verdicts, one rule each: the
    /// table judges the kernel against the float64 truth with the budget of the whole layer up to the tensor; stage
    /// isolation judges the stage alone, from the kernel's own inputs, with the budget of that one step, which is
    /// tighter. A departure too small for the first can exceed the second; the findings say so for each such tensor.
    /// </summary>
    public IReadOnlyList<TensorDiagnosis> WithinBudgetButIntroducing =>
        Tensors.Where(t => t.Verdict.Passed && t.Isolation is { IntroducesError: true }).ToList();

    public TensorDiagnosis Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"the kernel did not write '{name}'; diagnosed: {string.Join(", ", Tensors.Select(t => t.Name))}", nameof(name));

    public StageHypotheses? StageOf(string tensor) => Stages.FirstOrDefault(s => s.FailingTensors.Contains(tensor));
}
