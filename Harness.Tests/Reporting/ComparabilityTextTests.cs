using Harness.Diagnosis.Scenarios;
using Harness.Reporting;
using Harness.Tests.Diagnosis.Scenarios;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the comparability notes users read, for shipped and small scenarios, so a changed wording fails here.</summary>
public sealed class ComparabilityTextTests
{
    [Test]
    public void Lines_ConstantDebugWithActivationOverride_SaysWeightsVersusActivationsOnce()
    {
        var lines = ComparabilityText.Lines(ScenarioComparability.Compare(ShippedInstances.Get("constant-debug"), ShippedInstances.Get("activation-override")));

        lines.Should().Contain(
            "constant-debug sets query/key/value weights := 0.01 and query/key/value biases := 0 (all biases zeroed); "
            + "activation-override leaves those weights from synthetic weights "
            + "seed 1 (no checkpoint) and instead overrides activations attn.q, attn.k, attn.v := 0.01 — the two runs test "
            + "different things and their numbers must not be compared");
        lines.Should().Contain("input: constant-debug uses input := 0.125; activation-override uses random input N(0, 1²) seed 3");
        lines.Should().Contain(d => d.StartsWith("weights: constant-debug sets attention dense biases, attention LayerNorm beta, FC1 biases", StringComparison.Ordinal)
            && d.Contains(":= 0 (all biases zeroed)", StringComparison.Ordinal));
        lines.Should().NotContain(d => d.StartsWith("activations:", StringComparison.Ordinal));
    }

    [Test]
    public void Lines_ActivationOverrideWithConstantDebug_NamesTheSetterFirst()
    {
        var lines = ComparabilityText.Lines(ScenarioComparability.Compare(ShippedInstances.Get("activation-override"), ShippedInstances.Get("constant-debug")));

        lines.Should().Contain(d => d.StartsWith("constant-debug sets query/key/value weights := 0.01 and query/key/value biases := 0", StringComparison.Ordinal)
            && d.Contains("activation-override leaves those weights", StringComparison.Ordinal));
    }

    [Test]
    public void Lines_DifferentSeeds_NamesTheSeedsOfInputAndWeights()
    {
        var a = SmallScenario.Materialize(name: "first", seed: 7);
        var b = SmallScenario.Materialize(name: "second", seed: 8, input: """{ "kind": "random", "seed": 9, "std": 1.0 }""");

        ComparabilityText.Lines(ScenarioComparability.Compare(a, b)).Should().Equal(
            "input: first uses random input N(0, 1²) seed 7; second uses random input N(0, 1²) seed 9",
            "weights: first takes every weight, bias and LayerNorm parameter from synthetic weights seed 7; second takes every weight, bias and LayerNorm parameter from synthetic weights seed 8");
    }

    [Test]
    public void Lines_DifferentShapeDtypeAndSemantics_NamesEach()
    {
        var a = SmallScenario.Materialize(name: "first");
        var b = SmallScenario.Materialize(name: "second", shape: """{ "batch": 1, "sequence": 7, "heads": 3, "headSize": 5, "intermediate": 11 }""", dtype: "float32", semantics: "souffle");

        ComparabilityText.Lines(ScenarioComparability.Compare(a, b)).Should().Contain("shape: first runs B=2 S=7 H=3 D=5 F=11; second runs B=1 S=7 H=3 D=5 F=11")
            .And.Contain("dtype: first runs float16; second runs float32")
            .And.Contain("semantics: first (huggingface) has score scale InverseSqrtHeadSize; second (souffle) has score scale Fp16InverseSqrtModelWidth")
            .And.Contain("semantics: first (huggingface) has activation GeluErf; second (souffle) has activation Relu");
    }

    [Test]
    public void Lines_HandBuiltDifferences_AreTheGoldenLines()
    {
        var comparability = new Comparability(new RunLabel("probe", Run: 1), new RunLabel("probe", Run: 2),
        [
            new PaddingDifference(new KeyPadding(true, 5, 7), new KeyPadding(false, 0, 0)),
            new PaddingDifference(new KeyPadding(true, 7, 7), new KeyPadding(true, 3, 7)),
            new ActivationsDiffer([new ActivationOverride("attn.probs", 0.125)], [new ActivationOverride("attn.probs", 0.25)]),
            new ActivationsDiffer([new ActivationOverride("attn.q", 0.5), new ActivationOverride("attn.k", 0.25)], []),
            new ToleranceDifference("output", (0.01, 0.001), null),
            new AccumulationGroupDifference(16, null),
            new WeightsDiffer([LayerParameter.Of("output.dense.bias")], new CheckpointLayer("bert.safetensors", 3), new CheckpointLayer("bert.safetensors", 3)),
        ]);

        ComparabilityText.Lines(comparability).Should().Equal(
            "padding: probe (first run) has 5 of 7 keys valid; probe (second run) has no mask",
            "padding: probe (first run) has a mask with all 7 keys valid; probe (second run) has 3 of 7 keys valid",
            "activations: probe (first run) overrides attn.probs := 0.125; probe (second run) overrides attn.probs := 0.25",
            "activations: probe (first run) overrides attn.q := 0.5, attn.k := 0.25; probe (second run) overrides no activation",
            "tolerance output: probe (first run) atol 0.01, rtol 0.001; probe (second run) the default",
            "fp16 accumulation group: probe (first run) sets k = 16; probe (second run) leaves it unset",
            "weights: both take FC2 biases from the checkpoint 'bert.safetensors' layer 3 but the values differ");
    }

    [Test]
    public void Notes_ComparableAndNot_HeadTheLines()
    {
        var (a, b) = (new RunLabel("probe", "probe.json"), new RunLabel("probe", "other/probe.json"));

        ComparabilityText.Notes(new Comparability(new RunLabel("seed-case"), new RunLabel("constant-debug"), []))
            .Should().Equal("seed-case and constant-debug set the same things: their numbers are comparable");
        ComparabilityText.Notes(new Comparability(a, b, [new AccumulationGroupDifference(null, 8)])).Should().Equal(
            "probe and probe are NOT comparable:",
            "fp16 accumulation group: probe (probe.json) leaves it unset; probe (other/probe.json) sets k = 8");
    }
}
