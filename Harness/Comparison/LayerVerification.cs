using Harness.Kernels;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// The outcome of verifying one variant on one setup: every tensor of the kernel, of the float64 truth and of the
/// reference in the kernel's dtype (host copies, so Diagnosis can work on them), and the per-tensor verdicts.
/// </summary>
public sealed record LayerVerification
{
    public required string Variant { get; init; }

    /// <summary>The variant compared with, in `--against` mode (its outputs then set the budget); null otherwise.</summary>
    public string? AgainstVariant { get; init; }

    public required string ScenarioName { get; init; }

    /// <summary>The semantics the kernel computed.</summary>
    public required string KernelSemantics { get; init; }

    /// <summary>The semantics of the reference it was judged against, including the accumulation model.</summary>
    public required LayerSemantics ReferenceSemantics { get; init; }

    public required ElementType KernelDtype { get; init; }

    public required LayerShape Shape { get; init; }

    public required int AccumulationGroup { get; init; }

    public required IReadOnlyDictionary<string, HostTensor> Kernel { get; init; }

    public required IReadOnlyDictionary<string, HostTensor> Truth { get; init; }

    public required IReadOnlyDictionary<string, HostTensor> ReferenceLowPrecision { get; init; }

    public required LayerComparison Comparison { get; init; }

    /// <summary>How long the kernel ran; null for a dump, which the harness did not run.</summary>
    public required TimeSpan? KernelElapsed { get; init; }

    /// <summary>Per tensor, the elements left unjudged because their truth is NaN or Inf (only with <see cref="VerificationSetup.FiniteTruthOnly"/>).</summary>
    public IReadOnlyDictionary<string, long> NonFiniteTruthExcluded { get; init; } = new Dictionary<string, long>();

    /// <summary>The setup (inputs and weights rounded to the kernel's dtype) the run used.</summary>
    public required VerificationSetup Setup { get; init; }

    /// <summary>Why the variant's run produced nothing (a crash, trap, abort or timeout in its worker); null when it ran.</summary>
    public KernelFault? Fault { get; init; }

    /// <summary>What reruns on the same inputs showed; null when the variant ran once (or is a dump).</summary>
    public Determinism? Determinism { get; init; }

    public bool Passed => Comparison.Passed && Fault is null && (Determinism?.Passed ?? true);
}
