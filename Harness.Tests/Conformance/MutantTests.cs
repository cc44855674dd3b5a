using Harness.Diagnosis;
using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// Each cpu-mutant-* variant is cpu-reference with one documented defect. The harness must catch every one, and its
/// first failing tensor in dataflow order must be the tensor the defect touches. The expectations come from
/// <see cref="MutantExpectations"/>, a table written from the defects' definitions (native/src/cpu/mutant_*.cpp
/// headers), not from running the code.
/// </summary>
public sealed class MutantTests
{
    /// <summary>Mutants are judged on the small scenario (random data), in the semantics where their defect shows.</summary>
    private const string Scenario = "small";

    public static bool IsMutant(string variant) => variant.StartsWith(MutationScore.MutantPrefix, StringComparison.Ordinal);

    public static IEnumerable<TestCaseData> Mutants() =>
        Verifications.Catalog.Variants.Where(v => IsMutant(v.Name)).Select(v => new TestCaseData(v.Name).SetName($"{v.Name}/first-divergence"));

    /// <summary>Per tensor: everything upstream of the defect passes, the defect's tensor fails (downstream is not asserted).</summary>
    public static IEnumerable<TestCaseData> UpstreamAndDefectTensors()
    {
        foreach (var variant in Verifications.Catalog.Variants.Where(v => IsMutant(v.Name) && MutantExpectations.For(v.Name) is not null))
        {
            var expected = MutantExpectations.For(variant.Name)!;
            var defaultSemantics = Verifications.Scenario(Scenario).Semantics.Name;
            foreach (var c in ConformanceCase.ForVariant(variant.Name, variant.Outputs, Scenario, expected.Semantics.Name)
                         .Where(c => TensorNames.OrderOf(c.Tensor) <= TensorNames.OrderOf(expected.FirstTensor)))
            {
                yield return c.ToTestCase(defaultSemantics);
            }
        }
    }

    [TestCaseSource(nameof(Mutants))]
    public void Layer_Mutant_CaughtAtTheTensorItsDefectTouches(string mutant)
    {
        var expected = MutantExpectations.For(mutant);
        expected.Should().NotBeNull("every mutant needs its documented first tensor in MutantExpectations");

        var verification = Verifications.Of(mutant, Scenario, expected!.Semantics.Name);

        verification.Passed.Should().BeFalse($"{mutant} has a defect");
        verification.Comparison.FirstFailing!.Name.Should().Be(expected.FirstTensor, verification.Comparison.FirstFailing.Reason);
    }

    [TestCaseSource(nameof(UpstreamAndDefectTensors))]
    public void Tensor_Mutant_UpstreamPassesAndDefectTensorFails(ConformanceCase c)
    {
        var verdict = Verifications.Of(c.Variant, c.Scenario, c.Semantics).Comparison.Verdicts.Single(v => v.Name == c.Tensor);

        if (c.Tensor == MutantExpectations.For(c.Variant)!.FirstTensor)
        {
            verdict.Passed.Should().BeFalse($"the defect of {c.Variant} touches {c.Tensor}: {verdict.Reason}");
        }
        else
        {
            verdict.Should().Pass();
        }
    }
}
