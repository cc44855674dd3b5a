namespace Harness.Kernels;

/// <summary>
/// One element whose bits differed between runs of a variant on the same inputs: the first run (0-based) whose value
/// differed from run 0's, and the least and greatest values seen over every run (NaN where a run left it NaN).
/// </summary>
public readonly record struct MovedElement(long Index, int FirstRun, double Min, double Max, bool SawNaN);

/// <summary>
/// What reruns of a variant observed, as raw facts (judged in Comparison): how many runs were made, and per tensor every
/// element that did not come back bit for bit identical to run 0. A tensor absent from <see cref="Moved"/> never moved.
/// </summary>
public sealed record RerunRecord(int Runs, IReadOnlyDictionary<string, IReadOnlyList<MovedElement>> Moved);
