using System.Runtime.CompilerServices;

namespace Harness.Scenarios;

/// <summary>
/// SplitMix64 with Box-Muller normals: a generator whose algorithm is fixed here, so a seed names the same values on
/// every runtime (System.Random's algorithm is not guaranteed across .NET versions).
/// </summary>
public sealed class SplitMix64
{
    private ulong state;
    private double? spareNormal;

    public SplitMix64(ulong seed) => state = seed;

    /// <summary>A generator for one named stream: the seed mixed with a hash of the name, so streams do not depend on creation order.</summary>
    public static SplitMix64 ForStream(long seed, string stream) => new((ulong)seed ^ Fnv1a(stream));

    // Optimised at once, as NextNormal.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1): 53 random bits, never 0, so the logarithm in Box-Muller stays finite.</summary>
    // Optimised at once, as NextNormal.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextOpenUnit() => ((NextUInt64() >> 11) + 0.5) / (1UL << 53);

    // Optimised at once: called per value while a layer's weights are drawn, it stayed unoptimised code (tier 0) for
    // most of the draw.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextNormal(double mean = 0, double std = 1)
    {
        if (spareNormal is { } spare)
        {
            spareNormal = null;
            return mean + std * spare;
        }

        var radius = Math.Sqrt(-2 * Math.Log(NextOpenUnit()));
        var angle = 2 * Math.PI * NextOpenUnit();
        spareNormal = radius * Math.Sin(angle);
        return mean + std * radius * Math.Cos(angle);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
