namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Something a scenario cannot detect, read from its values: a stable <paramref name="Code"/> for machines, a
/// <paramref name="Description"/> saying why, the kernel defects it hides in the project's words, and the canonical
/// tensors whose comparison is blind to them.
/// </summary>
public sealed record BlindSpot(string Code, string Description, IReadOnlyList<string> HiddenDefects, IReadOnlyList<string> AffectedTensors);
