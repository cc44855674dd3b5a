namespace Harness.Comparison;

/// <summary>
/// Neumaier's compensated summation: the running sum keeps the low-order bits each addition loses, so a sum of
/// millions of squared differences keeps close to full float64 precision whatever the order of magnitudes.
/// </summary>
internal struct CompensatedSum
{
    private double sum;
    private double compensation;

    public readonly double Value => sum + compensation;

    public void Add(double value)
    {
        var t = sum + value;
        compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
        sum = t;
    }
}
