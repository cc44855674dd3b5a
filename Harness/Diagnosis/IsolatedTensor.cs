using Harness.Comparison;
using Harness.Model;

namespace Harness.Diagnosis;

/// <summary>
/// One kernel output judged against its stage recomputed from the kernel's own upstream tensors: the error the stage
/// introduces (<see cref="Introduced"/>) apart from the error it inherits (<see cref="Inherited"/>).
/// </summary>
public sealed record IsolatedTensor
{
    public required string Name { get; init; }

    /// <summary>The reference stage (with the stages folded into its segment) in float64 on the kernel's upstream tensors.</summary>
    public required HostTensor Isolated { get; init; }

    /// <summary>Kernel vs <see cref="Isolated"/>, budgeted by the same stage recomputed in the kernel's dtype.</summary>
    public required TensorVerdict Introduced { get; init; }

    /// <summary>Kernel vs <see cref="Isolated"/>, unbudgeted: what a hypothesis's alternative has to remove.</summary>
    public required Discrepancy KernelAgainstIsolated { get; init; }

    /// <summary><see cref="Isolated"/> vs the truth.</summary>
    public required InheritedError Inherited { get; init; }

    public bool IntroducesError => !Introduced.Passed;
}
