using Harness.Reporting;
using Harness.Tests.Diagnosis;

namespace Harness.Tests.Reporting;

/// <summary>The table's ulp column: ulps in the tensor's dtype, none for the float32 accumulators of an fp16 kernel.</summary>
public class UlpColumnTests
{
    private static readonly Lazy<Harness.Comparison.LayerVerification> Souffle = new(() =>
        DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace)));

    [TestCase(TensorNames.AttnSoftmaxRowSum)]
    [TestCase(TensorNames.AttnLnSum)]
    [TestCase(TensorNames.FfnLnSumSq)]
    public void UlpCell_Float32AccumulatorOfFp16Kernel_Omitted(string tensor)
    {
        var verdict = Souffle.Value.Comparison.Verdicts.Single(x => x.Name == tensor);

        VerificationConsole.UlpCell(tensor, verdict.Comparison, Souffle.Value.KernelDtype).Should().Be("-");
    }

    [Test]
    public void UlpCell_Fp16Tensor_UlpsInFp16()
    {
        var verdict = Souffle.Value.Comparison.Verdicts.Single(x => x.Name == TensorNames.AttnQ);

        VerificationConsole.UlpCell(TensorNames.AttnQ, verdict.Comparison, ElementType.Float16)
            .Should().Be(verdict.Comparison.MaxUlpFp16.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
