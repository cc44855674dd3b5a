using System.Text.RegularExpressions;
using Harness.Diagnosis;
using Harness.Isolation;
using Harness.Model;
using Harness.Tests.Conformance;
using Harness.Tests.Isolation;

namespace Harness.Tests.Diagnosis;

public sealed partial class CudaMutationScoreTests
{
    private static readonly string MutantsFolder = Path.Combine(RepositoryRoot(), "native", "tests", "cuda_mutants");

    [Test]
    public void Expectations_EveryMutantFileHasOneAndNoOther()
    {
        var registered = Directory.GetFiles(MutantsFolder, "mutant_*.cu")
            .Select(f => RegisteredName().Match(File.ReadAllText(f)).Groups[1].Value)
            .ToList();

        registered.Should().HaveCountGreaterThanOrEqualTo(6).And.OnlyContain(n => n.StartsWith(CudaMutantExpectations.MutantPrefix));
        CudaMutantExpectations.All.Select(e => e.Mutant).Should().BeEquivalentTo(registered);
    }

    [Test]
    public void Expectations_EachFileHeaderNamesTheDefectAndTheCheck()
    {
        foreach (var file in Directory.GetFiles(MutantsFolder, "mutant_*.cu"))
        {
            var header = string.Join('\n', File.ReadLines(file).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)));
            header.Should().Contain("Defect:", file).And.Contain("Caught by:", file);
        }
    }

    [Test]
    public void Score_PassingRunWithRacecheckFinding_CaughtAndAttributedToRacecheck()
    {
        var verification = Verifications.Of("cpu-reference", "small", "huggingface");
        var racecheck = SanitizerOutputParser.Parse(SanitizerTool.Racecheck, SanitizerSamples.RacecheckHazard);
        var memcheck = SanitizerOutputParser.Parse(SanitizerTool.Memcheck, SanitizerSamples.Clean);

        var score = CudaMutationScore.Score("cuda-mutant-scores-no-syncthreads", verification, [racecheck, memcheck]);

        score.Caught.Should().BeTrue();
        score.Attributed.Should().BeTrue();
        score.Observed.Should().Equal(new Attribution(MutantCheck.Sanitizer, SanitizerTool.Racecheck));
    }

    [Test]
    public void Score_PassingRunNoSanitizer_NotCaught()
    {
        var score = CudaMutationScore.Score("cuda-mutant-key-mask-off-by-one", Verifications.Of("cpu-reference", "small", "huggingface"), []);

        (score.Caught, score.Attributed, score.Observed.Count).Should().Be((false, false, 0));
    }

    [Test]
    public void Score_BudgetFailureAtAnotherTensor_CaughtNotAttributed()
    {
        // A cpu mutant's failure stands in for a CUDA mutant's run: its first failing tensor is ffn.fc1, not attn.scores.
        var verification = Verifications.Of("cpu-mutant-relu", "small", "huggingface");

        var score = CudaMutationScore.Score("cuda-mutant-key-mask-off-by-one", verification, []);

        score.Caught.Should().BeTrue();
        score.Attributed.Should().BeFalse();
        score.Observed.Should().Equal(new Attribution(MutantCheck.Budget, TensorNames.FfnFc1));
    }

    [Test]
    public void Result_FiveOfSixAttributedAllCaught_BelowTheNinetyPercentTarget()
    {
        var caught = new CudaMutantScore("m", null, true, [], true, null);
        var unattributed = caught with { Attributed = false };

        new CudaMutationScoreResult([.. Enumerable.Repeat(caught, 5), unattributed]).MeetsTarget.Should().BeFalse();
        new CudaMutationScoreResult([.. Enumerable.Repeat(caught, 10), unattributed]).MeetsTarget.Should().BeTrue();
    }

    [GeneratedRegex("BK_REGISTER_CUDA_MUTANT\\(\\w+, \"([^\"]+)\"")]
    private static partial Regex RegisteredName();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "native", "tests")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with native/tests) is not above the test binaries");
    }
}
