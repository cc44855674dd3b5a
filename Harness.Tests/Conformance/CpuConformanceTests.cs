using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// Every CPU variant that claims to be right, on every quick scenario its limits admit, under every semantics it
/// computes: each tensor it writes must be within the error budget of the float64 truth. The cases come from the
/// registry (<see cref="ConformanceMatrix"/>): a variant added to native/ (one file) appears here without any C#
/// change. Mutants (cpu-mutant-*) are judged in <see cref="MutantTests"/>.
/// </summary>
public sealed class CpuConformanceTests
{
    public static IEnumerable<TestCaseData> Cases() => ConformanceMatrix.Cpu(Verifications.Catalog).Select(ConformanceMatrix.ToTestCase);

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
