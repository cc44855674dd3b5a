using Harness.Diagnosis;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines of statistics-log findings built by hand, so a changed wording fails here.</summary>
public sealed class StatsFindingTextTests
{
    [Test]
    public void Line_ExplainedStageWithSixHypotheses_NamesFourThenEllipsis()
    {
        FindingTextOf(new StatsStageFinding("Projections", ["attn.q", "attn.k"], StatsStageOutcome.Explained, ["a", "b", "c", "d", "e", "f"]))
            .Should().Be("Projections: attn.q, attn.k explained by a, b, c, d, …");
    }

    [Test]
    public void Line_NotIsolableStage_SaysErrorsCannotBeToldApart()
    {
        FindingTextOf(new StatsStageFinding("Context", ["attn.context"], StatsStageOutcome.NotIsolable, []))
            .Should().Be("Context: attn.context fail; upstream not determined by the log, introduced and inherited error cannot be told apart");
    }

    [Test]
    public void Lines_FirstDivergenceInheritedUnexplainedNotComparable_OneLineEach()
    {
        StatsFindingText.Lines(
            [
                new StatisticsFirstDivergence("attn.q", "huggingface", "seed-case"),
                new StatsStageFinding("FC1", ["ffn.fc1"], StatsStageOutcome.Inherited, []),
                new StatsStageFinding("FC2", ["ffn.fc2"], StatsStageOutcome.Unexplained, []),
                new TensorNotComparable("attn.dense", "the log's attention dense weight is not the scenario's"),
            ])
            .Should().Equal(
                "first divergence at attn.q (statistics against huggingface, seed-case)",
                "FC1: ffn.fc1 inherit their error (the reference stage on the log's upstream matches)",
                "FC2: ffn.fc2 fail; no hypothesis explains the statistics",
                "attn.dense not comparable: the log's attention dense weight is not the scenario's");
    }

    [Test]
    public void Line_NothingFailedOrComparable_SaysWhich()
    {
        FindingTextOf(new StatisticsWithinAllowances(12, "souffle"))
            .Should().Be("every comparable logged tensor (12) keeps its statistics within the allowances against souffle");
        FindingTextOf(new NothingComparable())
            .Should().Be("nothing comparable was judged: every logged tensor depends on an input or weight that is not the scenario's");
    }

    private static string FindingTextOf(StatsFinding finding) => StatsFindingText.Line(finding);
}
