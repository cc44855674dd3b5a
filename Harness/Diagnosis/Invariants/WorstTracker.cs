using System.Globalization;

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

    public string WorstDescription { get; private set; } = string.Empty;

    public double WorstTolerance { get; private set; }

    public bool Failed => Failures > 0;

    public void Observe(double deviation, double tolerance, Func<string> describe)
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
            WorstDescription = describe();
        }
    }

    public InvariantResult ToResult(string name, string tensorName, string unit, string deviationName)
    {
        var worst = $"{deviationName} = {Number(Worst)} (tolerance {Number(WorstTolerance)})";
        var detail = Failed
            ? $"{Failures} of {Checked} {unit} fail; worst: {WorstDescription}, {worst}"
            : $"{Checked} {unit} pass; worst: {WorstDescription}, {worst}";
        return new InvariantResult(name, tensorName, Failed ? InvariantStatus.Failed : InvariantStatus.Passed, detail, Worst);
    }

    public static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
