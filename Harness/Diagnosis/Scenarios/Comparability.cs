namespace Harness.Diagnosis.Scenarios;

/// <summary>Whether two scenario runs may be compared number for number, and every setting in which they differ, in plain words.</summary>
public sealed record Comparability(bool Comparable, IReadOnlyList<string> Differences);
