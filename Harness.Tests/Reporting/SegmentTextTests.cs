using Harness.Diagnosis;
using Harness.Reference;
using Harness.Reporting;
using static Harness.Model.TensorNames;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the words users read for a stage segment built by hand, so a changed wording fails here.</summary>
public sealed class SegmentTextTests
{
    [Test]
    public void Description_SegmentWithTwoFoldedStages_NamesEachAndItsUnwrittenTensors()
    {
        var segment = new StageSegment(
            StageCatalog.Stage(StageNames.Context),
            [new FoldedStage(StageCatalog.Stage(StageNames.Scores), [AttnScoresRaw, AttnScores]), new FoldedStage(StageCatalog.Stage(StageNames.Softmax), [AttnProbs])]);

        SegmentText.Description(segment).Should().Be("Context (with Scores: attn.scores_raw, attn.scores not written by the kernel; Softmax: attn.probs not written by the kernel)");
    }

    [Test]
    public void Description_SegmentOfOneStage_IsTheStage()
    {
        SegmentText.Description(new StageSegment(StageCatalog.Stage(StageNames.Fc1), [])).Should().Be("Fc1");
    }
}
