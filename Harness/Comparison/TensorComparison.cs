namespace Harness.Comparison;

/// <summary>
/// The outcome of comparing one tensor with its expected value: plain data, as Polygraphy's comparator reports it.
/// "Actual" is the tensor under test (a kernel's output), "expected" the one it is held to (the truth).
/// Error metrics are over the element pairs where both values are finite (<see cref="FinitePairCount"/>); a NaN or
/// an infinity on either side is counted as a mismatch, never measured, and always fails the comparison.
/// </summary>
public sealed record TensorComparison
{
    public required string Name { get; init; }

    /// <summary>The expected tensor's shape (the actual one's is in <see cref="ActualStats"/>).</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    public required TensorStatistics ActualStats { get; init; }

    public required TensorStatistics ExpectedStats { get; init; }

    public required Tolerance Tolerance { get; init; }

    /// <summary>False when the shapes differ; then no metric is measured (metrics NaN, every element a mismatch).</summary>
    public required bool ShapesMatch { get; init; }

    public required long ElementCount { get; init; }

    public required long FinitePairCount { get; init; }

    public required double MaxAbs { get; init; }

    /// <summary>
    /// max |a − e| / |e| over the elements whose |e| is at least the smallest normal of the actual tensor's dtype
    /// (below it the actual dtype is subnormal and has no relative precision to speak of; those elements are judged
    /// by <see cref="MaxAbs"/> alone). 0 when no element qualifies.
    /// </summary>
    public required double MaxRel { get; init; }

    public required double MeanAbs { get; init; }

    public required double Rmse { get; init; }

    /// <summary>‖a − e‖₂ / ‖e‖₂; 0 when both norms are 0, +∞ when only ‖e‖₂ is.</summary>
    public required double RelativeL2 { get; init; }

    /// <summary>⟨a, e⟩ / (‖a‖₂‖e‖₂); 1 when both are all zero, 0 when exactly one is.</summary>
    public required double Cosine { get; init; }

    /// <summary>Elements outside |a − e| ≤ atol + rtol·|e|, non-finite pairs included.</summary>
    public required long MismatchCount { get; init; }

    /// <summary>100 · MismatchCount / ElementCount, kept as a double (format it with the Reporting percent formatter).</summary>
    public required double MismatchPercent { get; init; }

    /// <summary>Max distance in fp16 ULPs between the fp16-rounded values, over elements of the tensor's scale (|truth| ≥ 2^-10 of its largest).</summary>
    public required long MaxUlpFp16 { get; init; }

    /// <summary>Max distance in fp32 ULPs, for a float32 actual tensor only (null otherwise), over the same elements.</summary>
    public required long? MaxUlpFp32 { get; init; }

    /// <summary>
    /// The element to look at: the first pair with a NaN or infinity when there is one, otherwise the first element
    /// with the largest |a − e|. Null when nothing was compared.
    /// </summary>
    public required TensorElement? Worst { get; init; }

    /// <summary>The smallest atol that passes every element with this rtol; +∞ when a non-finite pair makes any fail.</summary>
    public required double MinimalPassingAtol { get; init; }

    /// <summary>The smallest rtol that passes every element with atol 0; +∞ when some e = 0 differs or a pair is non-finite.</summary>
    public required double MinimalPassingRtol { get; init; }

    public required bool Passed { get; init; }

    /// <summary>One line saying why it passed or failed.</summary>
    public required string Reason { get; init; }
}
