namespace Harness.Diagnosis.Hypotheses;

/// <summary>Why this layer's values cannot show a hypothesis, with the values that make it so; Reporting words it.</summary>
public abstract record UnshowableReason;

/// <summary>Every bias of this GEMM is zero, so a missing one changes nothing.</summary>
public sealed record ZeroBiasesReason(Gemm Gemm) : UnshowableReason;

/// <summary>With these H and D both head orders of the merge coincide.</summary>
public sealed record CoincidingHeadOrdersReason(int Heads, int HeadSize) : UnshowableReason;

/// <summary>LayerNorm gamma is 1 and beta 0, so the affine step is the identity: <paramref name="AffineSkipped"/> for the hypothesis that skips it, else for the one that changes its form.</summary>
public sealed record IdentityAffineReason(bool AffineSkipped) : UnshowableReason;
