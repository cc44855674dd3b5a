using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// The ULP allowance of an error budget when the tensor's own magnitude is the wrong place to measure it:
/// <paramref name="Step"/> is the allowance itself, expressed against <paramref name="Dtype"/>.
/// </summary>
public sealed record StepScale(ElementType Dtype, double Step);
