using Harness.Reference;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The residual never added before a LayerNorm: x = linear instead of x = linear + residual.</summary>
public sealed class ResidualMissingHypothesis : IHypothesis
{
    public string Name => HypothesisNames.ResidualMissing;

    public HypothesisDescription Description => new ResidualMissingDescription();

    public IReadOnlyList<string> Tensors { get; } = [.. StageCatalog.Stage(StageNames.AttentionAddAndNorm).Produces, .. StageCatalog.Stage(StageNames.OutputAddAndNorm).Produces];

    public Applicability AppliesTo(HypothesisSubject subject) => LayerNormHypotheses.Stages.Contains(subject.Stage.Name)
        ? Applicability.Yes
        : Applicability.No("concerns the LayerNorm stages");

    // Invariant: an add-and-norm stage consumes (linear, residual), in that order (StageCatalog).
    public StageAlternative Alternative(HypothesisSubject subject) => new(subject.Semantics, subject.Weights)
    {
        Upstream = (name, t) => name == subject.Stage.Consumes[1] ? HostTensors.Zeros(t) : t,
    };
}
