using Harness.Isolation;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>Which check names a defect: the error budget (at a tensor), the reruns (a race in a tensor), or a compute-sanitizer tool.</summary>
public enum MutantCheck
{
    Budget,
    Race,
    Sanitizer,
}

/// <summary>One way a defect may be attributed: the check, and the tensor (budget, race) or the tool (sanitizer) it must name.</summary>
public sealed record Attribution(MutantCheck Check, string Target)
{
    public override string ToString() => Check switch
    {
        MutantCheck.Budget => $"first failing {Target}",
        MutantCheck.Race => $"race in {Target}",
        _ => $"{Target} finding",
    };
}

/// <summary>What a CUDA mutant must be attributed to: any one of <paramref name="Accepted"/>.</summary>
public sealed record CudaMutantExpectation(string Mutant, IReadOnlyList<Attribution> Accepted);

/// <summary>
/// The attributions each CUDA mutant's defect admits, written from the mutants' file headers
/// (native/tests/cuda_mutants/mutant_*.cu), never from a run: the CUDA mutation score compares runs with this table.
/// </summary>
public static class CudaMutantExpectations
{
    public const string MutantPrefix = "cuda-mutant-";

    private static Attribution Budget(string tensor) => new(MutantCheck.Budget, tensor);

    private static Attribution Race(string tensor) => new(MutantCheck.Race, tensor);

    private static Attribution Sanitizer(string tool) => new(MutantCheck.Sanitizer, tool);

    public static IReadOnlyList<CudaMutantExpectation> All { get; } =
    [
        new("cuda-mutant-scores-no-syncthreads", [Race(AttnScores), Sanitizer(SanitizerTool.Racecheck)]),
        new("cuda-mutant-no-grid-sync", [Race(AttnScores), Budget(AttnScores)]),
        new("cuda-mutant-shared-read-before-write", [Budget(AttnSoftmaxRowSum), Race(AttnSoftmaxRowSum)]),
        new("cuda-mutant-last-tile-unwritten", [Budget(AttnContext)]),
        new("cuda-mutant-key-mask-off-by-one", [Budget(AttnScores)]),
        new("cuda-mutant-wrong-head-stride", [Budget(AttnContext)]),
    ];

    public static CudaMutantExpectation? For(string mutant) => All.FirstOrDefault(e => e.Mutant == mutant);
}
