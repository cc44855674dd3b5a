using Harness.Diagnosis;

namespace Harness.Reporting;

/// <summary>The words of a stage segment: the judged stage and the stages folded into it.</summary>
public static class SegmentText
{
    /// <summary>E.g. "Softmax (with Scores: attn.scores not written by the kernel)"; a segment of one stage reads as the stage.</summary>
    public static string Description(StageSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.IsFolded
            ? $"{segment.Stage.Name} (with {string.Join("; ", segment.Folded.Select(f => $"{f.Stage.Name}: {string.Join(", ", f.Unwritten)} not written by the kernel"))})"
            : segment.Stage.Name;
    }
}
