using Harness.Kernels;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// One tensor whose result moved between runs on the same inputs: how many elements differed bit for bit, the worst
/// (widest spread over the runs; a NaN in some run is the widest of all) with its least and greatest value, and the
/// first run (0-based, run 0 being the judged one) in which any element differed.
/// </summary>
public sealed record TensorMovement(string Tensor, long Count, long[] WorstIndex, double WorstMin, double WorstMax, bool WorstSawNaN, int FirstRun)
{
    /// <summary>Greatest − least value of the worst element; +∞ when a run left it NaN.</summary>
    public double WorstSpread => WorstSawNaN ? double.PositiveInfinity : WorstMax - WorstMin;
}

/// <summary>
/// The reruns of a variant, judged: every tensor that moved, in dataflow order. A moving result is a race, a failure
/// apart from the error budget, unless the variant declares itself nondeterministic (BK_VARIANT_NONDETERMINISTIC,
/// e.g. fp32 atomics): then the spread is reported and nothing fails.
/// </summary>
public sealed record Determinism(int Runs, bool DeclaredNondeterministic, IReadOnlyList<TensorMovement> Moved)
{
    /// <summary>Reruns when the caller names none: a GPU kernel's races show rarely, so many; a CPU run is costlier and rarely racy.</summary>
    public static int DefaultRuns(KernelDevice device) => device == KernelDevice.Cuda ? 100 : 5;

    public bool Moves => Moved.Count > 0;

    /// <summary>The result moved and the variant did not say it may.</summary>
    public bool IsRace => Moves && !DeclaredNondeterministic;

    public bool Passed => !IsRace;

    public static Determinism Judge(RerunRecord record, bool declaredNondeterministic, LayerShape shape)
    {
        ArgumentNullException.ThrowIfNull(record);
        var moved = record.Moved
            .Where(kv => kv.Value.Count > 0)
            .OrderBy(kv => TensorNames.OrderOf(kv.Key))
            .Select(kv =>
            {
                var worst = kv.Value.MaxBy(e => e.SawNaN ? double.PositiveInfinity : e.Max - e.Min);
                return new TensorMovement(
                    kv.Key,
                    kv.Value.Count,
                    TensorIndex.Unflatten(worst.Index, TensorNames.ShapeOf(kv.Key, shape)),
                    worst.Min,
                    worst.Max,
                    worst.SawNaN,
                    kv.Value.Min(e => e.FirstRun));
            })
            .ToList();
        return new Determinism(record.Runs, declaredNondeterministic, moved);
    }
}
