using Harness.Diagnosis.Hypotheses;

namespace Harness.Diagnosis;

/// <summary>One hypothesis tried on one failing tensor.</summary>
/// <param name="AgainstAlternative">Kernel vs the alternative recompute.</param>
/// <param name="FractionRemoved">1 − err(kernel, alternative)/err(kernel, isolated) by RMSE (see <see cref="Discrepancy.FractionRemovedFrom"/>).</param>
/// <param name="Explains">The kernel matches the alternative within the stage's own budget (see <see cref="HypothesisEvaluator"/>).</param>
public sealed record HypothesisTensorResult(string Tensor, Discrepancy AgainstAlternative, double FractionRemoved, bool Explains);

/// <summary>One hypothesis tried on a failing stage: per tensor, and summed up for ranking.</summary>
public sealed record HypothesisResult
{
    public required string Name { get; init; }

    public required HypothesisDescription Description { get; init; }

    public required bool IsComposite { get; init; }

    public required IReadOnlyList<HypothesisTensorResult> Tensors { get; init; }

    /// <summary>Mean of the tensors' fractions removed.</summary>
    public double FractionRemoved => Tensors.Average(t => t.FractionRemoved);

    /// <summary>True when it explains every failing tensor of the stage it was tried on.</summary>
    public bool Explains => Tensors.All(t => t.Explains);

    /// <summary>True when it explains the stage's first failing tensor in dataflow order, where the stage's error is first seen.</summary>
    public bool ExplainsFirst => Tensors.Count > 0 && Tensors[0].Explains;

    /// <summary>For a pair tried on a segment (a hypothesis at a folded stage with one at the judged stage): the two names; empty otherwise.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>For an explaining composite hypothesis: the points of it without which it no longer explains.</summary>
    public IReadOnlyList<SemanticsDeparture> Departures { get; init; } = [];
}

/// <summary>A hypothesis that could not be tried because this layer's values cannot show it, and why.</summary>
public sealed record UnshowableHypothesis(string Name, UnshowableReason Reason);

/// <summary>The hypotheses for one stage that introduces error, best first.</summary>
public sealed record StageHypotheses(string Stage, IReadOnlyList<string> FailingTensors, IReadOnlyList<HypothesisResult> Ranked, IReadOnlyList<UnshowableHypothesis> Unshowable)
{
    public HypothesisResult? Best => Ranked.Count > 0 ? Ranked[0] : null;

    public IEnumerable<HypothesisResult> Explaining => Ranked.Where(r => r.Explains);
}
