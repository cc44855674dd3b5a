namespace Harness.Comparison;

/// <summary>One element of a compared pair: where it is (flat and per axis) and both values there.</summary>
public sealed record TensorElement(long Flat, IReadOnlyList<long> Index, double Actual, double Expected);
