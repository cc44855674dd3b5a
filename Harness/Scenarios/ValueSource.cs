namespace Harness.Scenarios;

/// <summary>
/// An index-encoded pattern: element [row][column] = ((row·RowStep + column·ColumnStep) mod Modulus + Offset) / Divisor.
/// With small integers and a power-of-two divisor every value is exact in fp16, and because the steps differ a
/// transposed or permuted tensor gives different numbers, so layout mistakes become visible.
/// </summary>
public sealed record IndexPattern(int RowStep, int ColumnStep, int Modulus, int Offset, double Divisor)
{
    public double At(long row, long column) => ((((row * RowStep) + (column * ColumnStep)) % Modulus) + Offset) / Divisor;

    public override string ToString() => $"((r*{RowStep} + c*{ColumnStep}) % {Modulus} + {Offset}) / {Divisor}";
}

/// <summary>Where a tensor's values come from in a scenario.</summary>
public abstract record ValueSource;

/// <summary>Every element the same value.</summary>
public sealed record ConstantValues(double Value) : ValueSource;

/// <summary>N(0, Std²) from the harness's own generator.</summary>
public sealed record RandomValues(int Seed, double Std) : ValueSource;

/// <summary>The index-encoded <see cref="IndexPattern"/>.</summary>
public sealed record PatternValues(IndexPattern Pattern) : ValueSource;

/// <summary>The checkpoint's own values (weights only).</summary>
public sealed record CheckpointValues : ValueSource;
