using System.Collections.Concurrent;
using System.Globalization;
using Harness.Comparison;
using Harness.Kernels;
using Harness.Scenarios;
using Harness.Tests.Support;

namespace Harness.Tests.Conformance;

/// <summary>
/// One verification per (variant, scenario, semantics), computed once and shared by every per-tensor case, so a
/// conformance run costs one kernel call and two reference runs per combination, not per tensor.
/// </summary>
internal static class Verifications
{
    private static readonly ConcurrentDictionary<string, Lazy<ScenarioInstance>> Scenarios = new();
    private static readonly ConcurrentDictionary<(string, string, string), Lazy<LayerVerification>> Cache = new();
    private static readonly Lazy<VariantCatalog> LazyCatalog = new(() => VariantCatalog.Load(TestLibraries.TestVariants));

    /// <summary>The built-in library plus the test-variants library (its variants are flagged test-only).</summary>
    public static VariantCatalog Catalog => LazyCatalog.Value;

    /// <summary>A scenario's shape and default semantics, without materialising its tensors (for building case lists).</summary>
    public static Scenario Describe(string name) => Resolve(name);

    /// <summary>
    /// A shipped scenario by name; "name@BxS" is that scenario at batch B and sequence S (other dimensions kept), for
    /// sweeping the shapes a kernel claims; "name#L" is that scenario on checkpoint layer L.
    /// </summary>
    public static ScenarioInstance Scenario(string name) =>
        Scenarios.GetOrAdd(name, n => new Lazy<ScenarioInstance>(() => Resolve(n).Materialize(MaterializeOptions.None))).Value;

    private static Scenario Resolve(string name)
    {
        var layered = name.Split('#');
        if (layered.Length == 2)
        {
            return Resolve(layered[0]) with { Name = name, Layer = int.Parse(layered[1], CultureInfo.InvariantCulture) };
        }

        var parts = name.Split('@');
        var scenario = ScenarioCatalog.Resolve(parts[0]);
        if (parts.Length == 1)
        {
            return scenario;
        }

        var bs = parts[1].Split('x');
        return scenario with
        {
            Name = name,
            Shape = scenario.Shape with { Batch = int.Parse(bs[0], CultureInfo.InvariantCulture), Sequence = int.Parse(bs[1], CultureInfo.InvariantCulture) },
        };
    }

    public static LayerVerification Of(string variant, string scenario, string semantics) =>
        Cache.GetOrAdd((variant, scenario, semantics), key => new Lazy<LayerVerification>(() => Run(key.Item1, key.Item2, key.Item3))).Value;

    public static VerificationSetup Setup(ScenarioInstance s, string semantics) =>
        VerificationSetup.From(s, LayerSemantics.Preset(semantics)) with { ReferenceDevice = CudaDevice.Available ? "cuda" : "cpu" };

    private static LayerVerification Run(string variant, string scenario, string semantics) =>
        LayerVerifier.Verify(Catalog.Find(variant), Setup(Scenario(scenario), semantics));
}

/// <summary>Whether TorchSharp sees a CUDA device here (GPU cases are skipped, with this reason, when it does not).</summary>
internal static class CudaDevice
{
    public static bool Available { get; } = TorchSharp.torch.cuda.is_available();
}
