using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>One stage recomputed from the kernel's own upstream tensors, with the unwritten stages above it folded in.</summary>
/// <param name="Segment">The stage and the stages folded into it (see <see cref="StageSegment"/>).</param>
/// <param name="Tensors">The stage's outputs that the kernel wrote, in dataflow order.</param>
public sealed record StageIsolationResult(StageSegment Segment, IReadOnlyList<IsolatedTensor> Tensors)
{
    public StageInfo Stage => Segment.Stage;

    public bool IntroducesError => Tensors.Any(t => t.IntroducesError);

    /// <summary>The float64 reference products of every stage of the segment (what the hypotheses start from).</summary>
    internal IReadOnlyDictionary<string, HostTensor> Products { get; init; } = new Dictionary<string, HostTensor>();
}
