using Harness.Comparison;
using Harness.Isolation;

namespace Harness.Diagnosis;

/// <summary>
/// One CUDA mutant judged: caught when the budget, the reruns, a worker fault or a sanitizer found anything;
/// <see cref="Observed"/> lists what each check named (the first failing tensor, the first tensor that moved, each tool
/// with findings); attributed when one of them is among the expectation's accepted attributions.
/// </summary>
public sealed record CudaMutantScore(string Mutant, CudaMutantExpectation? Expectation, bool Caught, IReadOnlyList<Attribution> Observed, bool Attributed, string? Fault);

public sealed record CudaMutationScoreResult(IReadOnlyList<CudaMutantScore> Mutants)
{
    public int Caught => Mutants.Count(m => m.Caught);

    public int Attributed => Mutants.Count(m => m.Attributed);

    /// <summary>The target: every mutant caught, at least 90% attributed.</summary>
    public bool MeetsTarget => Mutants.Count > 0 && Caught == Mutants.Count && Attributed >= 0.9 * Mutants.Count;
}

public static class CudaMutationScore
{
    /// <param name="sanitizers">The sanitizer reports of this mutant's run (empty when no sanitizer ran).</param>
    public static CudaMutantScore Score(string mutant, LayerVerification verification, IReadOnlyList<SanitizerReport> sanitizers)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(sanitizers);
        var observed = new List<Attribution>();
        if (verification.Comparison.FirstFailing is { Name: var first })
        {
            observed.Add(new Attribution(MutantCheck.Budget, first));
        }

        if (verification.Determinism is { IsRace: true } determinism)
        {
            observed.Add(new Attribution(MutantCheck.Race, determinism.Moved[0].Tensor));
        }

        observed.AddRange(sanitizers.Where(s => s.KernelFindings.Count > 0).Select(s => new Attribution(MutantCheck.Sanitizer, s.Tool)));
        var expectation = CudaMutantExpectations.For(mutant);
        var caught = !verification.Passed || observed.Count > 0;
        var attributed = expectation is not null && observed.Any(expectation.Accepted.Contains);
        return new CudaMutantScore(mutant, expectation, caught, observed, attributed, verification.Fault?.Detail);
    }
}
