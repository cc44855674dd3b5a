using Harness.Kernels;
using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// The conformance cases, built from the registry alone: which variants must conform (the catalog's default list
/// without the cpu-mutant-* family, plus every variant of the test-variants library), on which scenarios (those whose
/// shape the variant's limits admit), under which semantics (its semantics bits). A variant file added to native/
/// adds its cases here with no other edit; no variant is named.
/// </summary>
internal static class ConformanceMatrix
{
    /// <summary>CPU scenarios that run in seconds on two cores; `random` is bert-base at S=384.</summary>
    public static readonly string[] CpuScenarios = ["small", "small-round", "padded", "layout-probe", "random"];

    /// <summary>GPU scenarios: tiny, bert-base random and constant, and padded bert-base with B=2.</summary>
    public static readonly string[] GpuScenarios = ["small", "random", "constant-debug", "padded-384", "random-d32", "random-d128"];

    /// <summary>The shape sweep every CUDA variant gets within its limits: B ∈ {1, 2, 8} × S ∈ {128, 384, 512} on random data.</summary>
    public static IEnumerable<string> ShapeSweep { get; } =
        from b in new[] { 1, 2, 8 } from s in new[] { 128, 384, 512 } select $"random@{b}x{s}";

    /// <summary>Variants that claim to be right on <paramref name="device"/>.</summary>
    public static IEnumerable<KernelVariant> Conforming(VariantCatalog catalog, KernelDevice device) =>
        catalog.Variants.Where(v => v.Device == device && (IsTestVariant(v) || (!v.IsTestOnly && !MutantTests.IsMutant(v.Name))));

    /// <summary>
    /// A variant of the test-variants library (harness self-tests; honest by that library's contract), except the
    /// *-faulty-* ones, which crash, hang or race on purpose and are run only through worker processes (Isolation tests).
    /// </summary>
    public static bool IsTestVariant(KernelVariant v) => v.Library.Path == TestLibraries.TestVariants && !IsFaulty(v);

    public static bool IsFaulty(KernelVariant v) => v.Name.Contains("-faulty-", StringComparison.Ordinal);

    /// <summary>Whether the variant's limits admit the scenario's shape.</summary>
    public static bool Admits(KernelVariant v, string scenario) => v.CheckShape(Verifications.Describe(scenario).Shape) is null;

    /// <summary>Every tensor of every conforming CPU variant on every admitted quick scenario, under each semantics it computes.</summary>
    public static IEnumerable<ConformanceCase> Cpu(VariantCatalog catalog) =>
        from v in Conforming(catalog, KernelDevice.Cpu)
        from scenario in CpuScenarios.Where(s => Admits(v, s))
        from semantics in v.Semantics
        from c in ConformanceCase.ForVariant(v.Name, v.Outputs, scenario, semantics)
        select c;

    /// <summary>
    /// Every tensor of every conforming CUDA variant on the GPU scenarios under each semantics it computes, plus the
    /// shape sweep in its default semantics, all within its limits.
    /// </summary>
    public static IEnumerable<ConformanceCase> Gpu(VariantCatalog catalog) =>
        from v in Conforming(catalog, KernelDevice.Cuda)
        from run in GpuScenarios.SelectMany(s => v.Semantics.Select(semantics => (Scenario: s, Semantics: semantics)))
            .Concat(ShapeSweep.Select(s => (Scenario: s, Semantics: v.DefaultSemantics)))
        where Admits(v, run.Scenario)
        from c in ConformanceCase.ForVariant(v.Name, v.Outputs, run.Scenario, run.Semantics)
        select c;

    /// <summary>
    /// The CPU variant a CUDA variant is compared with directly (--against): a conforming CPU variant of the same
    /// dtype computing the same semantics bits; null when there is none.
    /// </summary>
    public static KernelVariant? CpuTwin(VariantCatalog catalog, KernelVariant cuda) =>
        Conforming(catalog, KernelDevice.Cpu).FirstOrDefault(c => !IsTestVariant(c) && c.Dtype == cuda.Dtype && c.Semantics.SequenceEqual(cuda.Semantics));

    public static TestCaseData ToTestCase(ConformanceCase c) => c.ToTestCase(Verifications.Describe(c.Scenario).Semantics.Name);
}
