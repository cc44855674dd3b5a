using Harness.Kernels;
using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// The conformance lists come from the registry: loading the test-variants library (whose cpu_throwaway.cpp is one
/// variant file and nothing else) adds cpu-throwaway's cases, within its declared limits, with no C# edit; test-only
/// variants stay out of default lists.
/// </summary>
public sealed class RegistryCasesTests
{
    private const string Throwaway = "cpu-throwaway";

    [Test]
    public void CpuCases_TestVariantsLibraryLoaded_EveryDeclaredTensorOfTheThrowawayOnAdmittedScenarios()
    {
        var catalog = VariantCatalog.Load(TestLibraries.TestVariants);
        var throwaway = catalog.Find(Throwaway);

        var cases = ConformanceMatrix.Cpu(catalog).Where(c => c.Variant == Throwaway).ToList();

        cases.Select(c => c.Tensor).Distinct().Should().BeEquivalentTo(throwaway.Outputs);
        // small (D = 5) is outside the declared limit D multiple of 2; the others are admitted.
        cases.Select(c => c.Scenario).Distinct().Should().BeEquivalentTo("small-round", "padded", "layout-probe", "random");
        cases.Should().OnlyContain(c => c.Semantics == "huggingface");
    }

    [Test]
    public void CpuCases_BuiltInOnly_NoTestVariant()
    {
        var cases = ConformanceMatrix.Cpu(VariantCatalog.Load());

        cases.Should().NotBeEmpty().And.NotContain(c => c.Variant == Throwaway);
    }

    [Test]
    public void CpuCases_SuiteSource_ContainsTheThrowaway()
    {
        // The source CpuConformanceTests actually runs, so the throwaway's cases are executed, not only listed.
        CpuConformanceTests.Cases().Select(c => c.TestName).Should().Contain($"{Throwaway}/padded/attn.qkv");
    }

    [Test]
    public void Default_CatalogWithTestVariants_LeavesTestOnlyVariantsOut()
    {
        var catalog = VariantCatalog.Load(TestLibraries.TestVariants);

        catalog.Variants.Should().Contain(v => v.Name == Throwaway);
        catalog.Default.Should().NotContain(v => v.IsTestOnly).And.Contain(v => v.Name == "cpu-reference");
    }

    [Test]
    public void CpuCases_Mutants_NotAmongConformanceCases()
    {
        ConformanceMatrix.Cpu(Verifications.Catalog).Should().NotContain(c => MutantTests.IsMutant(c.Variant));
    }
}
