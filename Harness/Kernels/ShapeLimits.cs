using System.Globalization;
using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

/// <summary>
/// The values one dimension may take (bk_dim_limit): <see cref="Min"/> ≤ value ≤ <see cref="Max"/> (0 = unbounded) and
/// a multiple of <see cref="MultipleOf"/> (0 or 1 = any). All zero means any positive value.
/// </summary>
public sealed record DimLimit(long Min, long Max, long MultipleOf)
{
    public static DimLimit Any { get; } = new(0, 0, 0);

    public bool IsFixed => Min > 0 && Min == Max;

    public bool Admits(long value) => value >= Math.Max(Min, 1) && (Max == 0 || value <= Max) && (MultipleOf <= 1 || value % MultipleOf == 0);

    /// <summary>The candidates this limit admits, in their order.</summary>
    public IEnumerable<int> Admissible(IEnumerable<int> candidates) => candidates.Where(c => Admits(c));

    /// <summary>What the limit allows, in words: "any", "= 384", "64..512, multiple of 64".</summary>
    public override string ToString()
    {
        if (IsFixed)
        {
            return $"= {Min}";
        }

        var parts = new List<string>();
        if (Min > 1 || Max > 0)
        {
            parts.Add(Max > 0 ? $"{Math.Max(Min, 1)}..{Max}" : $">= {Min}");
        }

        if (MultipleOf > 1)
        {
            parts.Add($"multiple of {MultipleOf}");
        }

        return parts.Count == 0 ? "any" : string.Join(", ", parts);
    }

    internal static DimLimit FromNative(BkDimLimit l) => new(l.Min, l.Max, l.MultipleOf);
}

/// <summary>A variant's shape limits per dimension (bk_shape_limits), as the registry declares them.</summary>
public sealed record ShapeLimits(DimLimit Batch, DimLimit Sequence, DimLimit Heads, DimLimit HeadSize, DimLimit Model, DimLimit Intermediate)
{
    public static ShapeLimits Any { get; } = new(DimLimit.Any, DimLimit.Any, DimLimit.Any, DimLimit.Any, DimLimit.Any, DimLimit.Any);

    public bool IsAny => Dimensions().All(d => d.Limit == DimLimit.Any);

    /// <summary>Null when every dimension of <paramref name="shape"/> is admitted, else one line naming the first refused one.</summary>
    public string? Check(LayerShape shape)
    {
        foreach (var (name, symbol, limit, value) in Dimensions(shape))
        {
            if (!limit.Admits(value))
            {
                return $"{name} {symbol}={value.ToString(CultureInfo.InvariantCulture)} is outside the limit {symbol} {limit}";
            }
        }

        return null;
    }

    /// <summary>The candidate shapes these limits admit, in their order (e.g. a B × S sweep).</summary>
    public IEnumerable<LayerShape> Admissible(IEnumerable<LayerShape> candidates) => candidates.Where(c => Check(c) is null);

    /// <summary>Every limited dimension as "S multiple of 64", comma-separated; "any" when nothing is limited.</summary>
    public override string ToString()
    {
        var limited = Dimensions().Where(d => d.Limit != DimLimit.Any).Select(d => $"{d.Symbol} {d.Limit}").ToList();
        return limited.Count == 0 ? "any" : string.Join(", ", limited);
    }

    /// <summary>(json name, symbol, limit) per dimension, in header order.</summary>
    public IEnumerable<(string Name, string Symbol, DimLimit Limit)> Dimensions() =>
    [
        ("batch", "B", Batch), ("sequence", "S", Sequence), ("heads", "H", Heads), ("headSize", "D", HeadSize),
        ("model", "M", Model), ("intermediate", "F", Intermediate),
    ];

    internal static ShapeLimits FromNative(BkShapeLimits l) => new(
        DimLimit.FromNative(l.Batch),
        DimLimit.FromNative(l.Seq),
        DimLimit.FromNative(l.Heads),
        DimLimit.FromNative(l.HeadSize),
        DimLimit.FromNative(l.Model),
        DimLimit.FromNative(l.Intermediate));

    private IEnumerable<(string Name, string Symbol, DimLimit Limit, long Value)> Dimensions(LayerShape s) =>
        Dimensions().Zip([s.Batch, s.Sequence, s.Heads, s.HeadSize, s.Model, s.Intermediate], (d, v) => (d.Name, d.Symbol, d.Limit, (long)v));
}

/// <summary>Variant properties (bk_variant_info.flags); values are the BK_VARIANT_* bits.</summary>
[Flags]
public enum VariantProperties
{
    None = 0,

    /// <summary>Honours BK_RUN_ASYNC: enqueues on the given stream, capturable in a CUDA graph.</summary>
    Async = BkConstants.VariantAsync,

    /// <summary>Results may differ bit for bit between runs, by design.</summary>
    Nondeterministic = BkConstants.VariantNondeterministic,

    /// <summary>A harness self-test (do-nothing, throwaway): never in default lists.</summary>
    TestOnly = BkConstants.VariantTestOnly,
}
