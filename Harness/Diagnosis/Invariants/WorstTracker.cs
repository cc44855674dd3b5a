using System.Runtime.CompilerServices;

namespace Harness.Diagnosis.Invariants;

/// <summary>
/// Follows one check over its rows or elements: how many were checked and failed, and which was worst relative to its
/// tolerance (a NaN deviation is worst of all and always fails).
/// </summary>
internal sealed class WorstTracker
{
    private double rank = -1;

    public long Checked { get; private set; }

    public long Failures { get; private set; }

    public double Worst { get; private set; }

    public WorstCase? WorstCase { get; private set; }

    public double WorstTolerance { get; private set; }

    public bool Failed => Failures > 0;

    // Optimised at once: called per element from a sweep, it ran as unoptimised (tier-0) code for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Observe(double deviation, double tolerance, Func<WorstCase> describe)
    {
        Checked++;
        var failed = !(deviation <= tolerance);
        if (failed)
        {
            Failures++;
        }

        var r = double.IsNaN(deviation) ? double.PositiveInfinity
            : tolerance > 0 ? deviation / tolerance
            : deviation > 0 ? double.MaxValue : 0;
        if (r > rank || (double.IsNaN(deviation) && !double.IsNaN(Worst)))
        {
            rank = r;
            Worst = deviation;
            WorstTolerance = tolerance;
            WorstCase = describe();
        }
    }

    public InvariantResult ToResult(string name, string tensorName, string unit, string deviationName)
    {
        var detail = new DeviationsChecked(Failures, Checked, unit, WorstCase, deviationName, Worst, WorstTolerance);
        return new InvariantResult(name, tensorName, Failed ? InvariantStatus.Failed : InvariantStatus.Passed, detail, Worst);
    }
}
