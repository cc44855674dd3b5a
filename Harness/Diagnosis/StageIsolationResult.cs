using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>One stage recomputed from the kernel's own upstream tensors.</summary>
/// <param name="UpstreamFromTruth">Upstream tensors the kernel did not write, taken from the truth instead (the layer input is never listed: it is no kernel product).</param>
/// <param name="Tensors">The stage's outputs that the kernel wrote, in dataflow order.</param>
public sealed record StageIsolationResult(StageInfo Stage, IReadOnlyList<string> UpstreamFromTruth, IReadOnlyList<IsolatedTensor> Tensors)
{
    public bool IntroducesError => Tensors.Any(t => t.IntroducesError);
}
