using Harness.Kernels;
using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// Every CPU variant that claims to be right, on every quick scenario, under every semantics it computes: each tensor
/// it writes must be within the error budget of the float64 truth. A variant added to native/ (one file) appears here
/// without any C# change. Mutants (cpu-mutant-*) are judged in <see cref="MutantTests"/>.
/// </summary>
public sealed class CpuConformanceTests
{
    /// <summary>Scenarios that run in seconds on two cores; `random` is bert-base at S=384.</summary>
    public static readonly string[] QuickScenarios = ["small", "small-round", "padded", "layout-probe", "random"];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var variant in Verifications.Catalog.Variants.Where(v => v.Device == KernelDevice.Cpu && !MutantTests.IsMutant(v.Name)))
        {
            foreach (var scenario in QuickScenarios)
            {
                var defaultSemantics = Verifications.Scenario(scenario).Semantics.Name;
                foreach (var semantics in variant.Semantics)
                {
                    foreach (var c in ConformanceCase.ForVariant(variant.Name, variant.Outputs, scenario, semantics))
                    {
                        yield return c.ToTestCase(defaultSemantics);
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Tensor_CorrectVariant_WithinErrorBudget(ConformanceCase c)
    {
        var verification = Verifications.Of(c.Variant, c.Scenario, c.Semantics);

        verification.Comparison.Verdicts.Single(v => v.Name == c.Tensor).Should().Pass();
    }

    [Test]
    public void Layer_CpuSouffleJudgedAsHuggingFace_IsReportedFailing()
    {
        var verification = Verifications.Of("cpu-souffle", "small", "huggingface");

        verification.KernelSemantics.Should().Be("souffle");
        verification.Passed.Should().BeFalse("the Souffle layer is not a Hugging Face layer");
        verification.Comparison.FirstFailing!.Name.Should().Be("attn.q", "small has non-zero QKV biases, which Souffle drops");
    }
}
