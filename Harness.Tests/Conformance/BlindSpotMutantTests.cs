using Harness.Diagnosis.Scenarios;

namespace Harness.Tests.Conformance;

/// <summary>
/// The blind-spot analysis must be honest both ways: on the seed case's constant scenario, every mutant that escapes
/// is one whose defect the scenario's blind spots name, and every mutant caught is not excused by them.
/// </summary>
public sealed class BlindSpotMutantTests
{
    /// <summary>constant-debug's values at S=32 (bert-base widths), so the sweep stays quick.</summary>
    private const string Scenario = "constant-debug@1x32";

    /// <summary>Each mutant's defect as the blind-spot analysis names it (from the mutants' file headers).</summary>
    private static readonly IReadOnlyDictionary<string, HiddenDefect> Defects = new Dictionary<string, HiddenDefect>
    {
        ["cpu-mutant-heads-merged-wrong"] = new(DefectKind.HeadsMergedInAnotherOrder),
        ["cpu-mutant-qkv-bias-ignored"] = new(DefectKind.QkvBiasIgnored),
    };

    public static IEnumerable<TestCaseData> Mutants() =>
        Verifications.Catalog.Variants.Where(v => MutantTests.IsMutant(v.Name)).Select(v => new TestCaseData(v.Name).SetName($"{v.Name}/{Scenario}/escapes-only-through-a-blind-spot"));

    [TestCaseSource(nameof(Mutants))]
    public void Verify_MutantOnConstantScenario_EscapesOnlyThroughANamedBlindSpot(string mutant)
    {
        var expectation = Harness.Diagnosis.MutantExpectations.For(mutant)!;
        var verification = Verifications.Of(mutant, Scenario, expectation.Semantics.Name);
        var hidden = BlindSpotAnalyzer.Analyze(Verifications.Scenario(Scenario)).SelectMany(b => b.HiddenDefects).ToList();

        if (Defects.TryGetValue(mutant, out var defect))
        {
            verification.Passed.Should().BeTrue($"constant inputs and weights hide '{defect}'");
            hidden.Should().Contain(defect);
        }
        else
        {
            verification.Passed.Should().BeFalse($"nothing in {Scenario} hides the defect of {mutant}");
        }
    }
}
