namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// One alternative explanation of a stage's error: a way the kernel may compute the stage differently from the
/// reference, expressed as a modified semantics, modified weights, or a transform of the stage's inputs or outputs,
/// so that the reference's own stage functions compute it. Adding a hypothesis is adding one class (or a member of an
/// <see cref="IHypothesisFamily"/>), its name in <see cref="HypothesisNames"/>, a line in <see cref="HypothesisCatalog"/>, and, for a new
/// kind of <see cref="HypothesisDescription"/>, its words in Reporting's HypothesisText.
/// </summary>
public interface IHypothesis
{
    /// <summary>Stable short name, one of <see cref="HypothesisNames"/>.</summary>
    string Name { get; }

    /// <summary>What it supposes, with its parameters (Reporting words it to complete "best explanation: ...").</summary>
    HypothesisDescription Description { get; }

    /// <summary>The canonical tensors it can explain; it is tried only on stages producing one of them.</summary>
    IReadOnlyList<string> Tensors { get; }

    /// <summary>True for a hypothesis that changes several points at once (a whole preset); ranked after a single-point one that explains as well.</summary>
    bool IsComposite => false;

    /// <summary>Whether it can be tried on this stage with this layer, and why not.</summary>
    Applicability AppliesTo(HypothesisSubject subject);

    /// <summary>The alternative stage computation (called only when <see cref="AppliesTo"/> said it applies).</summary>
    StageAlternative Alternative(HypothesisSubject subject);
}
