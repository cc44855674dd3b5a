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

    /// <summary>
    /// The float64 reference products of the segment's folded stages that later stages read (what the hypotheses start
    /// from, see <see cref="StageSegment.Intermediates"/>). The stage's own products are not kept: a diagnosis held every
    /// stage's for its whole length, and nothing reads them after the stage is judged.
    /// </summary>
    internal IReadOnlyDictionary<string, HostTensor> Intermediates { get; init; } = new Dictionary<string, HostTensor>();
}
