namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Something a scenario cannot detect, read from its values: a stable <paramref name="Code"/> for machines, its
/// <paramref name="Cause"/> as data (Reporting words it), the kernel defects it hides, and the
/// canonical tensors whose comparison is blind to them.
/// </summary>
public sealed record BlindSpot(string Code, BlindSpotCause Cause, IReadOnlyList<HiddenDefect> HiddenDefects, IReadOnlyList<string> AffectedTensors);
