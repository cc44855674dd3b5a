using System.Globalization;
using Harness.Diagnosis.Invariants;

namespace Harness.Reporting;

/// <summary>The words of an invariant check's detail: one line, for the report tables and the JSON.</summary>
public static class InvariantText
{
    /// <summary>Zero-gamma channels named before "…".</summary>
    private const int ChannelsShown = 8;

    public static string Detail(InvariantDetail detail) => detail switch
    {
        TensorsNotGiven n => $"{string.Join(", ", n.Tensors)} not given",
        PairNotGiven p => $"{p.First} and {p.Second} not both given{(p.InputUnknown ? ", so x is unknown" : string.Empty)}",
        ActivationNotRelu a => a.Activation is null ? "the context names no activation" : $"the activation is {a.Activation}, not ReLU",
        NoLayerNormAffine n => $"the context gives no gamma/beta for the LayerNorm producing {n.Output}",
        ZeroGamma z =>
            $"gamma is 0 at channel{(z.Channels.Count > 1 ? "s" : string.Empty)} {string.Join(", ", z.Channels.Take(ChannelsShown))}{(z.Channels.Count > ChannelsShown ? ", …" : string.Empty)}: the normalised row cannot be recovered there",
        ValuesChecked v => v.Failures == 0
            ? $"{v.Count} values pass; max |value| = {Value(v.MaxAbs)}"
            : $"{v.Failures} of {v.Count} values fail; first {v.Tensor}{Index(v.FirstFailingIndex!)} = {Value(v.FirstFailingValue)}{(v.Float16Limit is { } limit ? $" (fp16 range ±{Value(limit)})" : string.Empty)}",
        RowSumsChecked r => r.Failures == 0
            ? $"{r.Count} rows pass; smallest row sum = {Value(r.Smallest)}"
            : $"{r.Failures} of {r.Count} rows fail; first row {Row(r.FirstFailingRow!)} has row sum {Value(r.FirstFailingValue)}",
        DeviationsChecked d => Deviations(d),
        _ => throw new ArgumentOutOfRangeException(nameof(detail), detail.GetType().Name, "an invariant detail without words"),
    };

    /// <summary>Where the worst deviation sits, in the axes of the canonical tensors.</summary>
    public static string Worst(WorstCase worst) => worst switch
    {
        ElementValue e => $"{e.Tensor}{Index(e.Index)} = {Value(e.Value)}",
        ReluMismatch r => $"{r.Tensor}{Index(r.Index)} = {Value(r.Value)} but ReLU({Value(r.PreActivation)}) = {Value(Math.Max(r.PreActivation, 0))}",
        StackMismatch s => $"{s.Stacked}{Index(s.StackedIndex)} = {Value(s.StackedValue)} but {s.Part}{Index(s.PartIndex)} = {Value(s.PartValue)}",
        RowSum r => $"row {Row(r.Row)} sums to {Value(r.Sum)}",
        RowMean r => $"row {Row(r.Row)} has mean {Value(r.Mean)}",
        RowVariance r => $"row {Row(r.Row)} has variance {Value(r.Variance)}, expected {Value(r.Expected)}",
        SumMismatch s => $"row {Row(s.Row)}: {s.SumTensor} = {Value(s.Given)} but Σ({s.ResidualA} + {s.ResidualB}){(s.Squares ? "²" : string.Empty)} = {Value(s.Recomputed)}",
        MomentsInconsistent m => $"row {Row(m.Row)}: Σx = {Value(m.Sum)}, Σx² = {Value(m.SumOfSquares)}, (Σx)²/M = {Value(m.SquaredSumOverM)}",
        OutputMismatch o => $"{o.Output} at row {Row(o.Row)}, channel {o.Channel} = {Value(o.Given)} but the sums give {Value(o.Rebuilt)}",
        _ => throw new ArgumentOutOfRangeException(nameof(worst), worst.GetType().Name, "a worst case without words"),
    };

    /// <summary>(b=…, h=…, s=…) for a head row, (b=…, s=…) for a token row.</summary>
    public static string Row(RowPosition row) => row.Head is { } h
        ? Invariant($"(b={row.Batch}, h={h}, s={row.Sequence})")
        : Invariant($"(b={row.Batch}, s={row.Sequence})");

    private static string Deviations(DeviationsChecked d)
    {
        var where = d.Worst is null ? "none" : Worst(d.Worst);
        var worst = $"{d.DeviationName} = {Value(d.Deviation)} (tolerance {Value(d.Tolerance)})";
        return d.Failures > 0
            ? $"{d.Failures} of {d.Checked} {d.Unit} fail; worst: {where}, {worst}"
            : $"{d.Checked} {d.Unit} pass; worst: {where}, {worst}";
    }

    private static string Index(IReadOnlyList<long> index) => $"[{string.Join(", ", index)}]";

    private static string Value(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
