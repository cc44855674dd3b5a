namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// Whether a hypothesis can be tried on a stage. <see cref="CannotBeShown"/> marks a hypothesis that is meaningful
/// but that this layer's values cannot distinguish (e.g. a missing bias when every bias is zero): reports say so
/// rather than claim or deny it.
/// </summary>
/// <param name="Reason">Why it does not apply (for a reader of the code; reports show only <paramref name="WhyUnshowable"/>).</param>
public sealed record Applicability(bool Applies, string? Reason, UnshowableReason? WhyUnshowable)
{
    public static Applicability Yes { get; } = new(true, null, null);

    public bool CannotBeShown => WhyUnshowable is not null;

    public static Applicability No(string reason) => new(false, reason, null);

    public static Applicability Unshowable(UnshowableReason why) => new(false, null, why);
}
