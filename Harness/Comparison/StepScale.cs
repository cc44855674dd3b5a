using Harness.Model;

namespace Harness.Comparison;

/// <summary>One rounding step of <paramref name="Dtype"/> at <paramref name="Magnitude"/>: the ULP allowance of an error budget.</summary>
public sealed record StepScale(ElementType Dtype, double Magnitude);
