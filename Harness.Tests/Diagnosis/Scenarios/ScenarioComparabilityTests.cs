using Harness.Diagnosis;
using Harness.Diagnosis.Scenarios;
using Harness.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

public sealed class ScenarioComparabilityTests
{
    [Test]
    public void Compare_ConstantDebugWithActivationOverride_NotComparableAndSaysWeightsVersusActivations()
    {
        var result = ScenarioComparability.Compare(ShippedInstances.Get("constant-debug"), ShippedInstances.Get("activation-override"));

        result.Comparable.Should().BeFalse();
        var crossed = result.Differences.OfType<WeightsVersusActivations>().Should().ContainSingle().Subject;
        crossed.FirstSets.Should().BeTrue();
        crossed.Set.Select(s => (Parameters: s.Parameters.Select(p => p.Suffix), s.Origin)).Should().BeEquivalentTo(
        [
            (Parameters: QkvSuffixes("weight"), (ParameterOrigin)new ScenarioValues(new ConstantValues(0.01))),
            (Parameters: QkvSuffixes("bias"), new ZeroedBiases()),
        ]);
        crossed.LeftAs.Should().Be(new SyntheticSeed(1, NoCheckpoint: true));
        crossed.Overrides.Should().Equal(new ActivationOverride("attn.q", 0.01), new ActivationOverride("attn.k", 0.01), new ActivationOverride("attn.v", 0.01));
        result.Differences.Should().ContainEquivalentOf(
            new InputDifference(new GeneratedInput(new ConstantValues(0.125)), new GeneratedInput(new RandomValues(3, 1.0))));
        result.Differences.OfType<WeightsDiffer>().Should().Contain(w => w.A == new ZeroedBiases()
            && w.Parameters.Select(p => p.Suffix).Contains("attention.output.dense.bias") && w.Parameters.Select(p => p.Suffix).Contains("intermediate.dense.bias"));
        result.Differences.OfType<ActivationsDiffer>().Should().BeEmpty("the override difference is told once, with the weights");
    }

    [Test]
    public void Compare_ActivationOverrideWithConstantDebug_SaysTheSameFromTheOtherSide()
    {
        var result = ScenarioComparability.Compare(ShippedInstances.Get("activation-override"), ShippedInstances.Get("constant-debug"));

        result.Comparable.Should().BeFalse();
        var crossed = result.Differences.OfType<WeightsVersusActivations>().Should().ContainSingle().Subject;
        crossed.FirstSets.Should().BeFalse("constant-debug, the second run, sets the weights");
        crossed.Set.SelectMany(s => s.Parameters).Select(p => p.Suffix).Should().BeEquivalentTo([.. QkvSuffixes("weight"), .. QkvSuffixes("bias")]);
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
        result.Differences.Should().BeEquivalentTo(new ScenarioDifference[]
        {
            new InputDifference(new GeneratedInput(new RandomValues(7, 1.0)), new GeneratedInput(new RandomValues(9, 1.0))),
            new WeightsDiffer(LayerParameter.All, new SyntheticSeed(7, false), new SyntheticSeed(8, false)),
        }, o => o.RespectingRuntimeTypes());
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

        differences.Should().Contain(new ShapeDifference(new LayerShape(2, 7, 3, 5, 11), new LayerShape(1, 7, 3, 5, 11)))
            .And.Contain(new DtypeDifference(ElementType.Float16, ElementType.Float32));
        differences.OfType<SemanticsDifference>().Select(d => (d.Point, d.A.Name, d.B.Name))
            .Should().Contain((SemanticsPointKind.ScoreScale, "huggingface", "souffle")).And.Contain((SemanticsPointKind.Activation, "huggingface", "souffle"));
    }

    [Test]
    public void Compare_DifferentPadding_NamesTheValidLengths()
    {
        var differences = ScenarioComparability.Compare(SmallScenario.Materialize(name: "first", validLength: 5), SmallScenario.Materialize(name: "second")).Differences;

        differences.Should().Equal(new PaddingDifference(new KeyPadding(true, 5, 7), new KeyPadding(false, 0, 0)));
    }

    [Test]
    public void Compare_OverrideValuesDiffer_NamesBothValues()
    {
        var a = SmallScenario.Materialize(name: "first", activationOverrides: """{ "attn.probs": 0.125 }""");
        var b = SmallScenario.Materialize(name: "second", activationOverrides: """{ "attn.probs": 0.25 }""");

        ScenarioComparability.Compare(a, b).Differences.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new ActivationsDiffer([new ActivationOverride("attn.probs", 0.125)], [new ActivationOverride("attn.probs", 0.25)]));
    }

    [Test]
    public void Compare_DifferentTolerance_NotComparable()
    {
        var a = SmallScenario.Materialize(name: "first", tolerances: """{ "output": { "atol": 0.01, "rtol": 0.001 } }""");
        var b = SmallScenario.Materialize(name: "second");

        ScenarioComparability.Compare(a, b).Differences.Should().Equal(new ToleranceDifference("output", (0.01, 0.001), null));
    }

    [Test]
    public void Compare_SameNameDifferentSources_LabelsBySource()
    {
        var a = SmallScenario.Materialize(name: "probe", seed: 1);
        var b = SmallScenario.Materialize(name: "probe", seed: 2) with { Scenario = a.Scenario with { Source = "other/probe.json" } };

        var result = ScenarioComparability.Compare(a, b);

        result.Differences.Should().ContainSingle();
        (result.A, result.B).Should().Be((new RunLabel("probe", "probe.json"), new RunLabel("probe", "other/probe.json")));
    }

    private static string[] QkvSuffixes(string kind) =>
        [$"attention.self.query.{kind}", $"attention.self.key.{kind}", $"attention.self.value.{kind}"];
}
