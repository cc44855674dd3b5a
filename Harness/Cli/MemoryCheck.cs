using System.Globalization;
using Harness.Model;

namespace Harness.Cli;

/// <summary>
/// Refuses a run whose estimated memory exceeds what is available, before anything is allocated: libtorch aborts
/// the process on some failed allocations, so the only safe out-of-memory error is the one never reached.
/// </summary>
public static class MemoryCheck
{
    /// <summary>Overrides the limit (bytes, or with a K, M, G or T suffix); for machines whose free memory is shared.</summary>
    public const string EnvironmentVariable = "HARNESS_MEMORY_LIMIT";

    /// <summary>
    /// Float64 copies of the whole layer (weights and every intermediate) each command holds at its peak: trace and
    /// dump keep the reference's tensors and their host copies; verify adds the low-precision reference, the kernel's
    /// outputs, the comparisons and the diagnosis's recomputed stages.
    /// </summary>
    public static int CopiesFor(string command) => command switch
    {
        "trace" or "dump" => 3,
        _ => 10,
    };

    /// <summary>Throws one line naming the estimate and the limit when <paramref name="shape"/> cannot run here.</summary>
    public static void Ensure(string command, LayerShape shape)
    {
        var estimate = LayerFootprint.Elements(shape) * sizeof(double) * CopiesFor(command);
        var (limit, source) = Limit();
        if (estimate > limit)
        {
            throw new ArgumentException($"{command} at {shape} needs an estimated {Bytes(estimate)} of memory; the limit is {Bytes(limit)} ({source}): use a smaller --batch or --sequence");
        }

        if (LayerFootprint.TooLarge(shape) is { } reason)
        {
            throw new ArgumentException(reason);
        }
    }

    private static (double Bytes, string Source) Limit()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text)
        {
            return (ParseBytes(text), $"${EnvironmentVariable}");
        }

        var total = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return MemAvailable() is { } available && available < total ? (available, "available memory, MemAvailable in /proc/meminfo") : (total, "physical memory");
    }

    private static double? MemAvailable()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : double.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double ParseBytes(string text)
    {
        var unit = char.ToUpperInvariant(text[^1]);
        var scale = unit switch { 'K' => 1e3, 'M' => 1e6, 'G' => 1e9, 'T' => 1e12, _ => 1.0 };
        var digits = scale == 1.0 ? text : text[..^1];
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value * scale
            : throw new ArgumentException($"${EnvironmentVariable} must be a positive number of bytes (K, M, G or T suffix allowed), got '{text}'");
    }

    private static string Bytes(double bytes) => bytes switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:F1} TB"),
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F1} GB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F0} MB"),
    };
}
