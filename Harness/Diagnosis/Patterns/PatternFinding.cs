namespace Harness.Diagnosis.Patterns;

/// <summary>What kind of structure a <see cref="PatternFinding"/> describes.</summary>
public enum PatternKind
{
    NoMismatch,
    NonFinite,
    Batches,
    Parts,
    Heads,
    Rows,
    Tiles,
    Columns,
    PeriodicColumns,
    Padding,
    Uniform,
}

/// <summary>What the token rows of a tensor are: rows of activations, or the query rows of [B,H,S,S] scores.</summary>
public enum RowAxis
{
    Rows,
    QueryRows,
}

/// <summary>What the columns of a tensor are: plain columns, channels h·D+d of head-split tensors, or key positions of scores.</summary>
public enum ColumnAxis
{
    Columns,
    Channels,
    KeyPositions,
}

/// <summary>One of the Q, K and V parts of attn.qkv.</summary>
public enum QkvPart
{
    Q,
    K,
    V,
}

/// <summary>
/// One statement about where mismatches sit; <see cref="Coverage"/> is the fraction of all mismatches it accounts for.
/// A finding that holds every mismatch (<see cref="ConcentratedFinding.Only"/>) has coverage 1.
/// </summary>
public abstract record PatternFinding(PatternKind Kind, double Coverage);

/// <summary>Every element passed.</summary>
public sealed record NoMismatchFinding() : PatternFinding(PatternKind.NoMismatch, 0);

/// <summary><paramref name="Count"/> elements are NaN or ±Inf on either side; the first sits at <paramref name="FirstIndex"/> (a multi-index).</summary>
public sealed record NonFiniteFinding(long Count, IReadOnlyList<long> FirstIndex, double Coverage) : PatternFinding(PatternKind.NonFinite, Coverage);

/// <summary>A finding over a set of buckets: every mismatch lies in them (<see cref="Only"/>), or the <see cref="PatternFinding.Coverage"/> share does.</summary>
public abstract record ConcentratedFinding(PatternKind Kind, bool Only, double Coverage) : PatternFinding(Kind, Coverage);

/// <summary>The mismatches sit in <paramref name="Batches"/>.</summary>
public sealed record BatchFinding(bool Only, IReadOnlyList<int> Batches, double Coverage) : ConcentratedFinding(PatternKind.Batches, Only, Coverage);

/// <summary>The mismatches of attn.qkv sit in <paramref name="Parts"/>.</summary>
public sealed record PartFinding(bool Only, IReadOnlyList<QkvPart> Parts, double Coverage) : ConcentratedFinding(PatternKind.Parts, Only, Coverage);

/// <summary>The mismatches sit in <paramref name="Heads"/>.</summary>
public sealed record HeadFinding(bool Only, IReadOnlyList<int> Heads, double Coverage) : ConcentratedFinding(PatternKind.Heads, Only, Coverage);

/// <summary>
/// Whole row tiles of <paramref name="Size"/> rows: tiles <paramref name="Tiles"/> of <paramref name="TileCount"/>;
/// <paramref name="Partial"/> when the last of them is cut short by the sequence length.
/// </summary>
public sealed record RowTiles(int Size, IReadOnlyList<int> Tiles, int TileCount, bool Partial);

/// <summary>
/// The mismatches sit in token rows <paramref name="Rows"/> (summed over batches), made of <paramref name="Tiles"/> when whole
/// tiles make them up; <paramref name="EveryBatch"/> when each batch has exactly these rows.
/// </summary>
public sealed record RowFinding(bool Only, RowAxis Axis, IReadOnlyList<int> Rows, RowTiles? Tiles, bool EveryBatch, double Coverage)
    : ConcentratedFinding(Tiles is null ? PatternKind.Rows : PatternKind.Tiles, Only, Coverage);

/// <summary>The mismatches sit in columns <paramref name="Columns"/>.</summary>
public sealed record ColumnFinding(bool Only, ColumnAxis Axis, IReadOnlyList<int> Columns, double Coverage) : ConcentratedFinding(PatternKind.Columns, Only, Coverage);

/// <summary>
/// The mismatches sit in columns ≡ <paramref name="Residues"/> (mod <paramref name="Period"/>); <paramref name="WithinHead"/>
/// when the period is the head size, so the residues are the same d of every head.
/// </summary>
public sealed record PeriodicColumnFinding(bool Only, ColumnAxis Axis, int Period, IReadOnlyList<int> Residues, bool WithinHead, double Coverage)
    : ConcentratedFinding(PatternKind.PeriodicColumns, Only, Coverage);

/// <summary>
/// <paramref name="Mismatches"/> of <paramref name="Total"/> mismatches sit at the padding <paramref name="Positions"/> (key
/// positions when <paramref name="AtKeys"/>, token rows otherwise) of a sequence of <paramref name="Sequence"/>.
/// </summary>
public sealed record PaddingFinding(bool AtKeys, long Mismatches, long Total, IReadOnlyList<int> Positions, int Sequence)
    : PatternFinding(PatternKind.Padding, (double)Mismatches / Total);

/// <summary>
/// No structure: the shares of rows and of columns (null when the tensor has at most one) holding a mismatch, and
/// <paramref name="HeadsTouched"/> of <paramref name="HeadCount"/> heads (count 0 or 1: the tensor has no head axis to name).
/// </summary>
public sealed record UniformFinding(double RowShare, ColumnAxis Axis, double? ColumnShare, int HeadsTouched, int HeadCount) : PatternFinding(PatternKind.Uniform, 1.0);
