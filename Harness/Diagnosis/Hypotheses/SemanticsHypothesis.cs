using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// A hypothesis that changes only the semantics for one or more stages; not applicable where the change leaves the
/// reference's semantics as they are (then it cannot differ from the isolated recompute).
/// </summary>
public sealed class SemanticsHypothesis(string name, HypothesisDescription description, IReadOnlyList<string> stages, IReadOnlyList<string> tensors, Func<LayerSemantics, HypothesisSubject, LayerSemantics> change, bool isComposite = false) : IHypothesis
{
    public string Name => name;

    public HypothesisDescription Description => description;

    public IReadOnlyList<string> Tensors => tensors;

    public bool IsComposite => isComposite;

    public Applicability AppliesTo(HypothesisSubject subject)
    {
        if (!stages.Contains(subject.Stage.Name))
        {
            return Applicability.No($"{name} concerns {string.Join(", ", stages)}, not {subject.Stage.Name}");
        }

        return change(subject.Semantics, subject) == subject.Semantics
            ? Applicability.No($"the reference semantics already does this ({subject.Semantics.Name})")
            : Applicability.Yes;
    }

    public StageAlternative Alternative(HypothesisSubject subject) => new(change(subject.Semantics, subject), subject.Weights);
}
