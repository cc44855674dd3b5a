using Harness.Model;

namespace Harness.Kernels;

/// <summary>Collects, run after run, the elements whose bits differ from the first run's outputs.</summary>
internal sealed class RerunRecorder(IReadOnlyDictionary<string, HostTensor> first)
{
    private readonly Dictionary<string, Dictionary<long, MovedElement>> moved = [];
    private int runs = 1;

    /// <summary>
    /// Compares run number <see cref="runs"/> (outputs read back after a fresh poisoning) with run 0. <paramref name="differing"/>
    /// gives a tensor of this run, or null when its bits are those of run 0: then nothing of it can move or widen (each
    /// recorded element's range already holds its run-0 value), and it need not be read back at all.
    /// </summary>
    public void Add(Func<string, HostTensor?> differing)
    {
        var run = runs++;
        foreach (var (name, reference) in first)
        {
            if (differing(name) is not { } tensor)
            {
                continue;
            }

            var now = tensor.Data;
            var then = reference.Data;
            Dictionary<long, MovedElement>? elements = moved.GetValueOrDefault(name);
            for (long i = 0; i < then.LongLength; i++)
            {
                var known = elements is not null && elements.ContainsKey(i);
                // Invariant: values are read back losslessly from fp16/fp32, so equal doubles mean equal kernel bits.
                if (!known && BitConverter.DoubleToInt64Bits(now[i]) == BitConverter.DoubleToInt64Bits(then[i]))
                {
                    continue;
                }

                elements ??= moved[name] = [];
                elements[i] = known ? Widen(elements[i], now[i]) : Widen(Widen(new MovedElement(i, run, double.PositiveInfinity, double.NegativeInfinity, false), then[i]), now[i]);
            }
        }
    }

    public RerunRecord Record() => new(
        runs,
        moved.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<MovedElement>)kv.Value.Values.OrderBy(e => e.Index).ToList()));

    private static MovedElement Widen(MovedElement e, double value) => double.IsNaN(value)
        ? e with { SawNaN = true }
        : e with { Min = Math.Min(e.Min, value), Max = Math.Max(e.Max, value) };
}
