using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>
/// What one invariant check found, as data: why it could not run, or how many rows or values it checked, how many
/// failed and which was worst. Reporting words it (Harness/Reporting/InvariantText.cs).
/// </summary>
public abstract record InvariantDetail;

/// <summary>A row of a canonical tensor: (b, h, s) for [B,H,S,·] rows, (b, s) for [B,S,·] rows (<see cref="Head"/> null).</summary>
public sealed record RowPosition(long Batch, long? Head, long Sequence)
{
    /// <summary>Row r of a [B,H,S,·] tensor or element r of [B·H,S].</summary>
    public static RowPosition OfHeadRow(LayerShape s, long r) => new(r / ((long)s.Heads * s.Sequence), r / s.Sequence % s.Heads, r % s.Sequence);

    /// <summary>Row r of a [B,S,·] tensor or element r of [B·S].</summary>
    public static RowPosition OfTokenRow(LayerShape s, long r) => new(r / s.Sequence, null, r % s.Sequence);
}

/// <summary>The check needs these tensors and some were not given.</summary>
public sealed record TensorsNotGiven(IReadOnlyList<string> Tensors) : InvariantDetail;

/// <summary>The check needs both tensors; <paramref name="InputUnknown"/>: they are the residual's two terms, so the LayerNorm input x is unknown.</summary>
public sealed record PairNotGiven(string First, string Second, bool InputUnknown) : InvariantDetail;

/// <summary>The ReLU checks apply only to a ReLU layer; <paramref name="Activation"/> is the context's (null: none named).</summary>
public sealed record ActivationNotRelu(Activation? Activation) : InvariantDetail;

/// <summary>The context gives no gamma/beta for the LayerNorm producing <paramref name="Output"/>.</summary>
public sealed record NoLayerNormAffine(string Output) : InvariantDetail;

/// <summary>gamma is 0 at these channels, so the normalised row cannot be recovered there.</summary>
public sealed record ZeroGamma(IReadOnlyList<int> Channels) : InvariantDetail;

/// <summary>
/// Finiteness of every value, and for float16 the range ±<paramref name="Float16Limit"/> (null for other dtypes): the
/// first failing value (index null when none fails), the largest magnitude.
/// </summary>
public sealed record ValuesChecked(string Tensor, long Failures, long Count, IReadOnlyList<long>? FirstFailingIndex, double FirstFailingValue, double MaxAbs, double? Float16Limit) : InvariantDetail;

/// <summary>Positive, finite softmax row sums: the first failing row, the smallest sum.</summary>
public sealed record RowSumsChecked(long Failures, long Count, RowPosition? FirstFailingRow, double FirstFailingValue, double Smallest) : InvariantDetail;

/// <summary>
/// A check over rows or values (<paramref name="Unit"/>) with a tolerance each: how many failed, the worst relative to
/// its tolerance (<paramref name="Worst"/>, null when nothing was checked), its deviation (named
/// <paramref name="DeviationName"/>) and tolerance.
/// </summary>
public sealed record DeviationsChecked(long Failures, long Checked, string Unit, WorstCase? Worst, string DeviationName, double Deviation, double Tolerance) : InvariantDetail;

/// <summary>Where the worst deviation of a <see cref="DeviationsChecked"/> sits and what was seen there.</summary>
public abstract record WorstCase;

/// <summary>An element and its value.</summary>
public sealed record ElementValue(string Tensor, IReadOnlyList<long> Index, double Value) : WorstCase;

/// <summary>ffn.fc1 at an index is not ReLU of ffn.fc1_linear there.</summary>
public sealed record ReluMismatch(string Tensor, IReadOnlyList<long> Index, double Value, double PreActivation) : WorstCase;

/// <summary>attn.qkv at one index differs from its part (attn.q, attn.k or attn.v) at the matching index.</summary>
public sealed record StackMismatch(string Stacked, IReadOnlyList<long> StackedIndex, double StackedValue, string Part, IReadOnlyList<long> PartIndex, double PartValue) : WorstCase;

/// <summary>A probability row and its sum.</summary>
public sealed record RowSum(RowPosition Row, double Sum) : WorstCase;

/// <summary>A normalised row and its mean.</summary>
public sealed record RowMean(RowPosition Row, double Mean) : WorstCase;

/// <summary>A normalised row's variance and the variance eps leaves it.</summary>
public sealed record RowVariance(RowPosition Row, double Variance, double Expected) : WorstCase;

/// <summary>A row's logged Σx (or Σx², <paramref name="Squares"/>) against the sum recomputed from the residual's two terms.</summary>
public sealed record SumMismatch(RowPosition Row, string SumTensor, double Given, string ResidualA, string ResidualB, double Recomputed, bool Squares) : WorstCase;

/// <summary>A row whose Σx and Σx² cannot both hold: (Σx)²/M exceeds Σx².</summary>
public sealed record MomentsInconsistent(RowPosition Row, double Sum, double SumOfSquares, double SquaredSumOverM) : WorstCase;

/// <summary>An output element against the value rebuilt from the sums, x, gamma and beta.</summary>
public sealed record OutputMismatch(string Output, RowPosition Row, int Channel, double Given, double Rebuilt) : WorstCase;
