using Harness.Model;

namespace Harness.Dumps;

/// <summary>Which program printed a log block, told by its dtype spelling; it fixes what "Std" means.</summary>
public enum LogStyle
{
    /// <summary>The harness's own dump format: float16; Std is the population standard deviation.</summary>
    Harness,

    /// <summary>C++ (libtorch): c10::Half; Std from at::std, unbiased (n − 1).</summary>
    Cpp,

    /// <summary>Python (PyTorch): torch.float16; Std from tensor.std(), unbiased (n − 1).</summary>
    Python,
}

/// <summary>One block of a statistics log, as printed: its name, where it starts, and each field with its resolution.</summary>
public sealed record LoggedTensor
{
    public required string Name { get; init; }

    /// <summary>1-based line of its "=== name ===" header.</summary>
    public required int Line { get; init; }

    public required LogStyle Style { get; init; }

    public required IReadOnlyList<long> Shape { get; init; }

    public required ElementType Dtype { get; init; }

    public required LoggedNumber Min { get; init; }

    public required LoggedNumber Max { get; init; }

    public required LoggedNumber Mean { get; init; }

    /// <summary>As printed (see <see cref="Style"/> for which standard deviation it is).</summary>
    public required LoggedNumber Std { get; init; }

    /// <summary>The first values in the tensor's printed layout (at most 10).</summary>
    public required IReadOnlyList<LoggedNumber> First { get; init; }

    public long Count => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The population standard deviation: an unbiased (n − 1) Std scaled by √((n − 1)/n).</summary>
    public double PopulationStd => Style == LogStyle.Harness || Count < 2 ? Std.Value : Std.Value * Math.Sqrt((Count - 1.0) / Count);

    /// <summary>Whether the statistics alone give every element: a finite constant tensor.</summary>
    public bool IsConstant => double.IsFinite(Min.Value) && Min.Value == Max.Value && Std.Value == 0;
}
