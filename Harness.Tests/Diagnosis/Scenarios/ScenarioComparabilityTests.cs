using Harness.Diagnosis.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

public sealed class ScenarioComparabilityTests
{
    [Test]
    public void Compare_ConstantDebugWithActivationOverride_NotComparableAndSaysWeightsVersusActivations()
    {
        var result = ScenarioComparability.Compare(ShippedInstances.Get("constant-debug"), ShippedInstances.Get("activation-override"));

        result.Comparable.Should().BeFalse();
        result.Differences.Should().Contain(
            "constant-debug sets query/key/value weights := 0.01 and query/key/value biases := 0 (all biases zeroed); "
            + "activation-override leaves those weights from synthetic weights "
            + "seed 1 (no checkpoint) and instead overrides activations attn.q, attn.k, attn.v := 0.01 — the two runs test "
            + "different things and their numbers must not be compared");
        result.Differences.Should().Contain("input: constant-debug uses input := 0.125; activation-override uses random input N(0, 1²) seed 3");
        result.Differences.Should().Contain(d => d.StartsWith("weights: constant-debug sets attention dense biases, attention LayerNorm beta, FC1 biases", StringComparison.Ordinal)
            && d.Contains(":= 0 (all biases zeroed)", StringComparison.Ordinal));
        result.Differences.Should().NotContain(d => d.StartsWith("activations:", StringComparison.Ordinal), because: "the override difference is told once, with the weights");
    }

    [Test]
    public void Compare_ActivationOverrideWithConstantDebug_SaysTheSameFromTheOtherSide()
    {
        var result = ScenarioComparability.Compare(ShippedInstances.Get("activation-override"), ShippedInstances.Get("constant-debug"));

        result.Comparable.Should().BeFalse();
        result.Differences.Should().Contain(d => d.StartsWith("constant-debug sets query/key/value weights := 0.01 and query/key/value biases := 0", StringComparison.Ordinal)
            && d.Contains("activation-override leaves those weights", StringComparison.Ordinal));
    }

    [TestCaseSource(typeof(ShippedInstances), nameof(ShippedInstances.Names))]
    public void Compare_ScenarioWithItself_Comparable(string name)
    {
        var result = ScenarioComparability.Compare(ShippedInstances.Get(name), ShippedInstances.Get(name));

        result.Comparable.Should().BeTrue();
        result.Differences.Should().BeEmpty();
    }

    [Test]
    public void Compare_SeedCaseWithConstantDebug_ComparableDespiteTheNames()
    {
        ScenarioComparability.Compare(ShippedInstances.Get("seed-case"), ShippedInstances.Get("constant-debug")).Comparable.Should().BeTrue();
    }

    [Test]
    public void Compare_DifferentSeeds_NamesTheSeedsOfInputAndWeights()
    {
        var a = SmallScenario.Materialize(name: "first", seed: 7);
        var b = SmallScenario.Materialize(name: "second", seed: 8, input: """{ "kind": "random", "seed": 9, "std": 1.0 }""");

        var result = ScenarioComparability.Compare(a, b);

        result.Comparable.Should().BeFalse();
        result.Differences.Should().BeEquivalentTo(
            "input: first uses random input N(0, 1²) seed 7; second uses random input N(0, 1²) seed 9",
            "weights: first takes every weight, bias and LayerNorm parameter from synthetic weights seed 7; second takes every weight, bias and LayerNorm parameter from synthetic weights seed 8");
    }

    [Test]
    public void Compare_SeedThatNothingUses_Comparable()
    {
        // Every parameter is set and the input is constant, so the scenario seed draws nothing.
        const string everything = """
            { "qkv": { "constant": 0.01 }, "attentionOutput": { "constant": 0.02 }, "attentionLayerNorm": { "constant": 1.0 },
              "intermediate": { "constant": 0.03 }, "output": { "constant": 0.04 }, "outputLayerNorm": { "constant": 1.0 } }
            """;
        const string input = """{ "kind": "constant", "value": 0.5 }""";
        var a = SmallScenario.Materialize(name: "first", seed: 1, input: input, weights: everything);
        var b = SmallScenario.Materialize(name: "second", seed: 2, input: input, weights: everything);

        ScenarioComparability.Compare(a, b).Comparable.Should().BeTrue();
    }

    [Test]
    public void Compare_DifferentShapeDtypeAndSemantics_NamesEach()
    {
        var a = SmallScenario.Materialize(name: "first");
        var b = SmallScenario.Materialize(name: "second", shape: """{ "batch": 1, "sequence": 7, "heads": 3, "headSize": 5, "intermediate": 11 }""", dtype: "float32", semantics: "souffle");

        var differences = ScenarioComparability.Compare(a, b).Differences;

        differences.Should().Contain("shape: first runs B=2 S=7 H=3 D=5 F=11; second runs B=1 S=7 H=3 D=5 F=11")
            .And.Contain("dtype: first runs float16; second runs float32")
            .And.Contain("semantics: first (huggingface) has score scale InverseSqrtHeadSize; second (souffle) has score scale Fp16InverseSqrtModelWidth")
            .And.Contain("semantics: first (huggingface) has activation GeluErf; second (souffle) has activation Relu");
    }

    [Test]
    public void Compare_DifferentPadding_NamesTheValidLengths()
    {
        var differences = ScenarioComparability.Compare(SmallScenario.Materialize(name: "first", validLength: 5), SmallScenario.Materialize(name: "second")).Differences;

        differences.Should().Equal("padding: first has 5 of 7 keys valid; second has no mask");
    }

    [Test]
    public void Compare_OverrideValuesDiffer_NamesBothValues()
    {
        var a = SmallScenario.Materialize(name: "first", activationOverrides: """{ "attn.probs": 0.125 }""");
        var b = SmallScenario.Materialize(name: "second", activationOverrides: """{ "attn.probs": 0.25 }""");

        ScenarioComparability.Compare(a, b).Differences.Should().Equal("activations: first overrides attn.probs := 0.125; second overrides attn.probs := 0.25");
    }

    [Test]
    public void Compare_DifferentTolerance_NotComparable()
    {
        var a = SmallScenario.Materialize(name: "first", tolerances: """{ "output": { "atol": 0.01, "rtol": 0.001 } }""");
        var b = SmallScenario.Materialize(name: "second");

        ScenarioComparability.Compare(a, b).Differences.Should().Equal("tolerance output: first atol 0.01, rtol 0.001; second the default");
    }

    [Test]
    public void Compare_SameNameDifferentSources_LabelsBySource()
    {
        var a = SmallScenario.Materialize(name: "probe", seed: 1);
        var b = SmallScenario.Materialize(name: "probe", seed: 2) with { Scenario = a.Scenario with { Source = "other/probe.json" } };

        ScenarioComparability.Compare(a, b).Differences.Should().ContainSingle().Which.Should().Contain("probe (probe.json)").And.Contain("probe (other/probe.json)");
    }
}
