namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// Whether a hypothesis can be tried on a stage. <see cref="CannotBeShown"/> marks a hypothesis that is meaningful
/// but that this layer's values cannot distinguish (e.g. a missing bias when every bias is zero): reports say so
/// rather than claim or deny it.
/// </summary>
public sealed record Applicability(bool Applies, bool CannotBeShown, string? Reason)
{
    public static Applicability Yes { get; } = new(true, false, null);

    public static Applicability No(string reason) => new(false, false, reason);

    public static Applicability Unshowable(string reason) => new(false, true, reason);
}
