using Harness.Comparison;
using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Support;

namespace Harness.Tests.Gpu;

/// <summary>
/// The CUDA variants on the GPU, tensor by tensor. The cases exist on every machine; without a CUDA device (or in a
/// library built without nvcc) each is reported skipped with the reason, never passed.
/// </summary>
[Category("Gpu")]
public sealed class GpuConformanceTests
{
    /// <summary>(variant, scenario, semantics): what must pass on the GPU.</summary>
    private static readonly (string Variant, string Scenario, string Semantics)[] Runs =
    [
        ("cuda-reference", "small", "huggingface"),
        ("cuda-reference", "small", "souffle"),
        ("cuda-reference", "random", "huggingface"),
        ("cuda-reference", "random", "souffle"),
        ("cuda-reference", "constant-debug", "huggingface"),
        ("fused", "constant-debug", "huggingface"),
        ("fused", "padded-384", "huggingface"),
        ("souffle", "random", "souffle"),
        ("souffle", "constant-debug", "souffle"),
    ];

    /// <summary>The fused kernel's claimed shapes: B ∈ {1, 2, 8} × S ∈ {128, 384, 512} at bert-base widths.</summary>
    private static IEnumerable<(string, string, string)> FusedShapeSweep() =>
        from b in new[] { 1, 2, 8 }
        from s in new[] { 128, 384, 512 }
        select ("fused", $"random@{b}x{s}", "huggingface");

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (variant, scenario, semantics) in Runs.Concat(FusedShapeSweep()))
        {
            var known = Verifications.Catalog.Variants.FirstOrDefault(v => v.Name == variant);
            var tensors = known?.Outputs.OrderBy(TensorNames.OrderOf).ToList() ?? ["layer"];
            foreach (var tensor in tensors)
            {
                yield return new ConformanceCase(variant, scenario, semantics, tensor).ToTestCase(semantics == "huggingface" ? semantics : string.Empty);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Tensor_CudaVariant_WithinErrorBudget(ConformanceCase c)
    {
        RequireGpu(c.Variant);

        var verification = Verifications.Of(c.Variant, c.Scenario, c.Semantics);

        verification.Comparison.Verdicts.Single(v => v.Name == c.Tensor).Should().Pass();
    }

    [TestCase("constant-debug")]
    [TestCase("random")]
    public void Layer_SouffleAgainstCpuSouffle_Agrees(string scenario)
    {
        RequireGpu("souffle");
        var catalog = Verifications.Catalog;

        var verification = LayerVerifier.VerifyAgainst(catalog.Find("souffle"), catalog.Find("cpu-souffle"), Verifications.Setup(Verifications.Scenario(scenario), "souffle"));

        verification.Comparison.Should().Pass();
    }

    [Test]
    public void Run_SouffleAtUnsupportedShape_IsUnsupportedShapeStatus()
    {
        RequireGpu("souffle");

        var act = () => Verifications.Of("souffle", "small", "souffle");

        act.Should().Throw<UnsupportedShapeException>().WithMessage("*souffle*");
    }

    private static void RequireGpu(string variant)
    {
        if (!CudaDevice.Available)
        {
            Assert.Ignore("no CUDA device: TorchSharp reports torch.cuda.is_available() = false on this machine");
        }

        if (Verifications.Catalog.Variants.All(v => v.Name != variant))
        {
            Assert.Ignore($"variant '{variant}' is not in the kernel library (built without a CUDA compiler?)");
        }
    }
}
