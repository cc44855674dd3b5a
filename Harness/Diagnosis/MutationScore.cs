using Harness.Comparison;
using Harness.Kernels;
using Harness.Model;

namespace Harness.Diagnosis;

/// <summary>One mutant diagnosed and scored against its <see cref="MutantExpectation"/>.</summary>
/// <param name="Expectation">Null when the mutant has no entry in <see cref="MutantExpectations"/> (then nothing can be scored but "caught").</param>
/// <param name="TopHypothesis">The best-ranked hypothesis at the stage of the first failing tensor, or null.</param>
/// <param name="TopHypothesisRight">Ranked first and explaining the first failing tensor; when no hypothesis is expected, true means none explains, as expected.</param>
public sealed record MutantScore(
    string Mutant,
    MutantExpectation? Expectation,
    bool Caught,
    string? FirstFailing,
    bool FirstTensorRight,
    string? TopHypothesis,
    bool TopHypothesisRight,
    LayerDiagnosis Diagnosis);

/// <summary>The mutation score: how many mutants are caught, located and explained.</summary>
public sealed record MutationScoreResult(IReadOnlyList<MutantScore> Mutants)
{
    public int Caught => Mutants.Count(m => m.Caught);

    public int Located => Mutants.Count(m => m.FirstTensorRight);

    public int Explained => Mutants.Count(m => m.TopHypothesisRight);
}

/// <summary>Verifies and diagnoses every cpu-mutant-* variant and scores the result against <see cref="MutantExpectations"/>.</summary>
public static class MutationScore
{
    public const string MutantPrefix = "cpu-mutant-";

    /// <param name="setupFor">The verification setup to judge a mutant under the given semantics (e.g. the small scenario).</param>
    public static MutationScoreResult Run(VariantCatalog catalog, Func<LayerSemantics, VerificationSetup> setupFor)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(setupFor);
        var scores = new List<MutantScore>();
        foreach (var variant in catalog.Variants.Where(v => v.Name.StartsWith(MutantPrefix, StringComparison.Ordinal)))
        {
            var expectation = MutantExpectations.For(variant.Name);
            var diagnosis = LayerDiagnoser.Diagnose(LayerVerifier.Verify(variant, setupFor(expectation?.Semantics ?? LayerSemantics.HuggingFace)));
            scores.Add(Score(variant.Name, expectation, diagnosis));
        }

        return new MutationScoreResult(scores);
    }

    private static MutantScore Score(string mutant, MutantExpectation? expectation, LayerDiagnosis diagnosis)
    {
        var first = diagnosis.Origin;
        var stage = first is null ? null : diagnosis.Stages.FirstOrDefault(s => s.FailingTensors.Contains(first));
        var top = stage?.Best;
        var hypothesisRight = expectation switch
        {
            null => false,
            { Hypothesis: null } => stage is null || !stage.Explaining.Any(),
            _ => top is not null && top.Name == expectation.Hypothesis && top.ExplainsFirst,
        };
        return new MutantScore(
            mutant,
            expectation,
            !diagnosis.Verification.Passed,
            first,
            expectation is not null && first == expectation.FirstTensor,
            top?.Name,
            hypothesisRight,
            diagnosis);
    }
}
