using Harness.Comparison;
using Harness.Kernels;
using Harness.Tests.Conformance;
using Harness.Tests.Support;

namespace Harness.Tests.Gpu;

/// <summary>
/// The CUDA variants on the GPU, tensor by tensor, from the registry: every conforming CUDA variant (built-in default
/// list and the test-variants library) on the scenarios and sweep shapes its limits admit, under its semantics bits
/// (<see cref="ConformanceMatrix.Gpu"/>). The cases exist on every machine; without a CUDA device (or in a library
/// built without nvcc) each is reported skipped with the reason, never passed.
/// </summary>
[Category("Gpu")]
public sealed class GpuConformanceTests
{
    private const string NoCudaVariants = "no CUDA variant is in the kernel libraries (built without a CUDA compiler)";

    public static IEnumerable<TestCaseData> Cases()
    {
        var cases = ConformanceMatrix.Gpu(Verifications.Catalog).ToList();
        return cases.Count == 0 ? [Skipped("cuda/no-variants", NoCudaVariants, new ConformanceCase("-", "-", "-", "-"))]
            : !CudaDevice.Available ? [Skipped("cuda/no-device", NoDevice(cases.Count, cases.Select(c => c.Variant)), new ConformanceCase("-", "-", "-", "-"))]
            : cases.Select(ConformanceMatrix.ToTestCase).ToList();
    }

    /// <summary>
    /// Without a device the registry's cases are counted, not listed one skip each (hundreds of identical lines in
    /// every run): the count and the variants still come from the same matrix that generates them on a GPU machine.
    /// </summary>
    internal static string NoDevice(int count, IEnumerable<string> variants) =>
        $"no CUDA device: TorchSharp reports torch.cuda.is_available() = false on this machine; the registry gives {count} cases here ({string.Join(", ", variants.Distinct())}), run where a GPU is";

    /// <summary>(variant, its CPU twin, scenario): every fp16 CUDA variant computing Souffle semantics against the CPU variant of the same dtype and semantics.</summary>
    public static IEnumerable<TestCaseData> SouffleTwins()
    {
        var catalog = Verifications.Catalog;
        var cases = (from v in ConformanceMatrix.Conforming(catalog, KernelDevice.Cuda)
                     where v.Dtype == ElementType.Float16 && v.Supports(LayerSemantics.Souffle.Name)
                     let twin = ConformanceMatrix.CpuTwin(catalog, v)
                     where twin is not null
                     from scenario in new[] { "constant-debug", "random" }
                     where ConformanceMatrix.Admits(v, scenario)
                     select new TestCaseData(v.Name, twin.Name, scenario).SetName($"{v.Name}/against/{twin.Name}/{scenario}")).ToList();
        if (cases.Count > 0 && !CudaDevice.Available)
        {
            return [Skipped("souffle-against-cpu-twin/no-device", NoDevice(cases.Count, cases.Select(c => (string)c.Arguments[0]!)), "-", "-", "-")];
        }

        return cases.Count > 0 ? cases : [Skipped("souffle-against-cpu-twin/no-variants", "no fp16 CUDA variant computing Souffle semantics with a CPU twin is in the kernel libraries", "-", "-", "-")];
    }

    /// <summary>The CUDA variants of the test-variants library: a new .cu file there adds its cases above with no other edit.</summary>
    public static IEnumerable<TestCaseData> TestLibraryCudaVariants()
    {
        // Variants that write nothing (cuda-empty, the bench's overhead probe) have no tensor to judge, hence no cases.
        var names = Verifications.Catalog.Variants.Where(v => ConformanceMatrix.IsTestVariant(v) && v.Device == KernelDevice.Cuda && v.Outputs.Count > 0).Select(v => v.Name).ToList();
        return names.Count > 0
            ? names.Select(n => new TestCaseData(n).SetName($"{n}/has-gpu-cases"))
            : [Skipped("test-variants/cuda", "the test-variants library has no CUDA variant (built without a CUDA compiler)", "-")];
    }

    [TestCaseSource(nameof(Cases))]
    public void Tensor_CudaVariant_WithinErrorBudget(ConformanceCase c)
    {
        RequireGpu();

        var verification = Verifications.Of(c.Variant, c.Scenario, c.Semantics);

        verification.Comparison.Verdicts.Single(v => v.Name == c.Tensor).Should().Pass();
    }

    [TestCaseSource(nameof(SouffleTwins))]
    public void Layer_SouffleCudaVariantAgainstItsCpuTwin_Agrees(string variant, string twin, string scenario)
    {
        RequireGpu();
        var catalog = Verifications.Catalog;

        var verification = LayerVerifier.VerifyAgainst(catalog.Find(variant), catalog.Find(twin), Verifications.Setup(Verifications.Scenario(scenario), "souffle"));

        verification.Comparison.Should().Pass();
    }

    [TestCaseSource(nameof(TestLibraryCudaVariants))]
    public void Cases_TestLibraryCudaVariant_HasGpuCasesForEveryDeclaredTensor(string variant)
    {
        var v = Verifications.Catalog.Find(variant);

        var cases = ConformanceMatrix.Gpu(Verifications.Catalog).Where(c => c.Variant == variant).ToList();

        cases.Select(c => c.Tensor).Distinct().Should().BeEquivalentTo(v.Outputs);
        cases.Should().OnlyContain(c => ConformanceMatrix.Admits(v, c.Scenario));
    }

    /// <summary>One case reported skipped with <paramref name="reason"/>, carrying arguments of the right arity for its method.</summary>
    internal static TestCaseData Skipped(string name, string reason, params object[] arguments) => new TestCaseData(arguments).Ignore(reason).SetName(name);

    private static void RequireGpu()
    {
        if (!CudaDevice.Available)
        {
            Assert.Ignore("no CUDA device: TorchSharp reports torch.cuda.is_available() = false on this machine");
        }
    }
}
