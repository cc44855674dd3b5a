using Harness.Diagnosis;
using Harness.Diagnosis.Hypotheses;
using Harness.Reporting;

namespace Harness.Tests.Diagnosis;

/// <summary>Every mutant is caught, located at its documented first tensor, and explained by its documented defect.</summary>
public class MutationScoreTests
{
    private static readonly Lazy<MutationScoreResult> Score = new(() =>
        MutationScore.Run(DiagnosisSetups.Catalog, semantics => DiagnosisSetups.FromScenario("small", semantics)));

    private static IEnumerable<string> Mutants() => MutantExpectations.All.Select(e => e.Mutant);

    [Test]
    public void Run_EveryMutantInTheCatalog_HasAnExpectation()
    {
        Score.Value.Mutants.Should().NotBeEmpty();
        Score.Value.Mutants.Where(m => m.Expectation is null).Select(m => m.Mutant).Should().BeEmpty();
    }

    [TestCaseSource(nameof(Mutants))]
    public void Run_Mutant_IsCaught(string mutant) => Find(mutant).Caught.Should().BeTrue();

    [TestCaseSource(nameof(Mutants))]
    public void Run_Mutant_FirstDivergenceIsTheDocumentedTensor(string mutant)
    {
        var score = Find(mutant);
        score.FirstFailing.Should().Be(score.Expectation!.FirstTensor, string.Join(Environment.NewLine, FindingText.Lines(score.Diagnosis.Findings)));
    }

    [TestCaseSource(nameof(Mutants))]
    public void Run_Mutant_TopHypothesisIsTheDocumentedDefect(string mutant)
    {
        var score = Find(mutant);
        score.TopHypothesisRight.Should().BeTrue(
            $"expected {score.Expectation!.Hypothesis ?? "no explaining hypothesis"}, got {score.TopHypothesis ?? "none"}:{Environment.NewLine}{string.Join(Environment.NewLine, FindingText.Lines(score.Diagnosis.Findings))}");
    }

    [Test]
    public void MutantExpectations_EveryNamedHypothesis_ExistsInTheCatalog()
    {
        foreach (var name in MutantExpectations.All.Select(e => e.Hypothesis).OfType<string>())
        {
            HypothesisCatalog.All.Select(h => h.Name).Should().Contain(name);
        }
    }

    private static MutantScore Find(string mutant) =>
        Score.Value.Mutants.SingleOrDefault(m => m.Mutant == mutant) ?? throw new AssertionException($"mutant {mutant} is not in the variant catalog");
}
