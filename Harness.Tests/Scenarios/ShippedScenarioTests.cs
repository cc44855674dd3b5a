using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class ShippedScenarioTests
{
    private static readonly string[] Shipped = ["constant-debug", "activation-override", "random", "small", "small-round", "padded", "layout-probe", "seed-case"];

    [Test]
    public void Names_Embedded_ListsEveryShippedScenario()
    {
        ScenarioCatalog.Names().Should().Contain(Shipped);
    }

    [TestCaseSource(nameof(Shipped))]
    public void Resolve_ShippedName_ParsesWithADescriptionSayingWhatItCannotDetect(string name)
    {
        var s = ScenarioCatalog.Resolve(name);

        s.Name.Should().Be(name);
        s.Description.Should().Contain("Cannot detect");
    }

    [TestCaseSource(nameof(Shipped))]
    public void Materialize_ShippedScenarioWithoutCheckpoint_GivesValidFiniteTensors(string name)
    {
        var instance = ScenarioCatalog.Resolve(name).Materialize(MaterializeOptions.None);

        instance.Weights.Validate(instance.Shape);
        instance.Inputs.Hidden.Shape.Should().Equal(TensorNames.ShapeOf(TensorNames.Input, instance.Shape));
        instance.Inputs.Hidden.Data.Should().OnlyContain(v => double.IsFinite(v));
        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            get(instance.Weights).Data.Should().OnlyContain(v => double.IsFinite(v), because: suffix);
        }

        instance.Settings.Should().Contain(l => l.StartsWith("weights: synthetic", StringComparison.Ordinal));
    }

    [Test]
    public void Resolve_UnknownName_ListsKnownScenarios()
    {
        FluentActions.Invoking(() => ScenarioCatalog.Resolve("no-such-scenario"))
            .Should().Throw<ScenarioException>().WithMessage("unknown scenario 'no-such-scenario'; known: *constant-debug*small*");
    }

    [Test]
    public void Resolve_MissingPath_NamesTheFile()
    {
        FluentActions.Invoking(() => ScenarioCatalog.Resolve("/nonexistent/dir/mine.json"))
            .Should().Throw<ScenarioException>().WithMessage("*mine.json*not found*");
    }

    [Test]
    public void Materialize_ConstantDebug_HasTheSeedCaseSettingsAndFacts()
    {
        var instance = ScenarioCatalog.Resolve("constant-debug").Materialize(MaterializeOptions.None);

        instance.Shape.Should().Be(LayerShape.BertBase384);
        instance.Dtype.Should().Be(ElementType.Float16);
        instance.Semantics.Should().Be(LayerSemantics.HuggingFace);
        instance.Inputs.Hidden.Data.Should().OnlyContain(v => v == 0.125);
        instance.Weights.QueryWeight.Data.Should().OnlyContain(v => v == 0.01);
        instance.Weights.ValueWeight.Data.Should().OnlyContain(v => v == 0.01);
        instance.Settings.Should().Contain("input := 0.125")
            .And.Contain("query/key/value weights := 0.01")
            .And.Contain(l => l.StartsWith("all biases := 0", StringComparison.Ordinal))
            .And.Contain("weights: synthetic seed 1 (no checkpoint)");
        instance.Facts.InputIsConstant.Should().BeTrue();
        instance.Facts.BiasesZero.Should().BeTrue();
        instance.Facts.IsWeightConstant("attention.self.key.weight").Should().BeTrue();
        instance.Facts.IsWeightConstant("attention.output.dense.weight").Should().BeFalse();
        instance.Facts.FellBackToSynthetic.Should().BeTrue();
        instance.Facts.HasPadding.Should().BeFalse();
        instance.Inputs.AttentionMask.Should().BeNull();
    }

    [Test]
    public void Materialize_SeedCase_EqualsConstantDebug()
    {
        var seed = ScenarioCatalog.Resolve("seed-case").Materialize(MaterializeOptions.None);
        var constant = ScenarioCatalog.Resolve("constant-debug").Materialize(MaterializeOptions.None);

        seed.Settings.Should().Equal(constant.Settings);
        seed.Weights.IntermediateWeight.Data.Should().Equal(constant.Weights.IntermediateWeight.Data);
    }

    [Test]
    public void Materialize_ActivationOverride_RecordsTheThreeOverrides()
    {
        var instance = ScenarioCatalog.Resolve("activation-override").Materialize(MaterializeOptions.None);

        instance.ActivationOverrides.Should().BeEquivalentTo(new Dictionary<string, double> { ["attn.q"] = 0.01, ["attn.k"] = 0.01, ["attn.v"] = 0.01 });
        instance.Facts.OverriddenActivations.Should().Equal("attn.q", "attn.k", "attn.v");
        instance.Facts.InputIsConstant.Should().BeFalse();
    }

    [Test]
    public void Materialize_Padded_MasksKeysPastTheValidLengthWithTheFloat16Minimum()
    {
        var instance = ScenarioCatalog.Resolve("padded").Materialize(MaterializeOptions.None);
        var mask = instance.Inputs.AttentionMask!;

        mask.Shape.Should().Equal(2, 24);
        for (var b = 0; b < 2; b++)
        {
            mask.Data.Skip(b * 24).Take(17).Should().OnlyContain(v => v == 0);
            mask.Data.Skip((b * 24) + 17).Take(7).Should().OnlyContain(v => v == -65504);
        }

        instance.Facts.HasPadding.Should().BeTrue();
    }

    [Test]
    public void Materialize_LayoutProbe_EncodesIndicesAsymmetricallyAndExactlyInFloat16()
    {
        var instance = ScenarioCatalog.Resolve("layout-probe").Materialize(MaterializeOptions.None);
        var m = instance.Shape.Model;
        var input = instance.Inputs.Hidden.Data;
        var query = instance.Weights.QueryWeight.Data;

        // input[s=1][m=2] = ((7 + 6) % 32 - 16) / 64; query w[o=2][i=1] = ((10 + 11) % 16 - 8) / 256.
        input[m + 2].Should().Be(-3.0 / 64);
        query[(2 * m) + 1].Should().Be(-3.0 / 256);
        query[(1 * m) + 2].Should().NotBe(query[(2 * m) + 1]);
        instance.Weights.KeyWeight.Data.Should().NotEqual(query);
        input.Concat(query).Should().OnlyContain(v => ElementType.Float16.Round(v) == v);
        instance.Weights.AttentionLayerNormGamma.Data.Should().OnlyContain(v => v == 1);
        instance.Facts.BiasesZero.Should().BeTrue();
    }

    [Test]
    public void Materialize_Small_IsDeterministic()
    {
        var a = ScenarioCatalog.Resolve("small").Materialize(MaterializeOptions.None);
        var b = ScenarioCatalog.Resolve("small").Materialize(MaterializeOptions.None);

        a.Inputs.Hidden.Data.Should().Equal(b.Inputs.Hidden.Data);
        a.Weights.OutputWeight.Data.Should().Equal(b.Weights.OutputWeight.Data);
        a.Shape.Should().Be(new LayerShape(2, 7, 3, 5, 11));
    }
}
