using System.Globalization;
using Harness.Comparison;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>The reruns' outcome in words: stable, a race (a failure apart from the budget), or a declared spread.</summary>
public static class DeterminismText
{
    public static IEnumerable<string> Lines(Determinism d)
    {
        if (!d.Moves)
        {
            yield return $"reruns: {d.Runs} runs on the same inputs, every tensor identical bit for bit";
            yield break;
        }

        yield return d.IsRace
            ? $"RACE: the result moved between {d.Runs} runs on the same inputs (outputs re-poisoned each run), a failure apart from the error budget:"
            : $"reruns: the variant declares itself nondeterministic; spread over {d.Runs} runs on the same inputs (reported, not failed):";
        foreach (var m in d.Moved)
        {
            var worst = m.WorstSawNaN
                ? $"{Shape(m.WorstIndex)} NaN in some run"
                : $"{Shape(m.WorstIndex)} from {Exact(m.WorstMin)} to {Exact(m.WorstMax)} (spread {Number(m.WorstSpread)})";
            yield return $"  {m.Tensor}: {m.Count.ToString(CultureInfo.InvariantCulture)} elements differ; worst {worst}; first differed in run {m.FirstRun.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>Round-trip digits: values one ulp apart must print apart.</summary>
    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
