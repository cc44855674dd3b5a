using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class ScenarioMaterializeTests
{
    private const string SmallShape = """ "shape":{"batch":1,"sequence":7,"heads":3,"headSize":5,"intermediate":11} """;
    private static readonly LayerShape Small = new(1, 7, 3, 5, 11);

    private static ScenarioInstance Materialize(string body, MaterializeOptions? options = null, string? baseDirectory = null) =>
        ScenarioParser.Parse($"{{{SmallShape},{body}}}", "t.json", baseDirectory).Materialize(options ?? MaterializeOptions.None);

    [Test]
    public void Materialize_CheckpointBase_ReadsTheLayerAndRecordsIt()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Small, layers: 2, seed: 40);

        var instance = Materialize(""" "baseWeights":"checkpoint","layer":1 """, new MaterializeOptions { CheckpointPath = dir.Path });

        instance.Weights.OutputWeight.Data.Should().Equal(SyntheticWeights.Create(Small, 41).OutputWeight.Data);
        instance.Facts.WeightsSource.Should().Be("checkpoint");
        instance.Facts.FellBackToSynthetic.Should().BeFalse();
        instance.Settings.Should().Contain(l => l.Contains("layer 1 of 2", StringComparison.Ordinal));
    }

    [Test]
    public void Materialize_CheckpointFieldRelativeToScenario_IsFound()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File("weights.safetensors"), Small, layers: 1, seed: 40);

        var instance = Materialize(""" "baseWeights":"checkpoint","checkpoint":"weights.safetensors" """, baseDirectory: dir.Path);

        instance.CheckpointPath.Should().EndWith("weights.safetensors");
    }

    [Test]
    public void Materialize_EnvironmentCheckpointUnderCheckpointOrSynthetic_UsesIt()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Small, layers: 1, seed: 40);

        var instance = Materialize(""" "baseWeights":"checkpoint-or-synthetic" """, new MaterializeOptions { EnvironmentCheckpoint = dir.Path });

        instance.Facts.WeightsSource.Should().Be("checkpoint");
    }

    [Test]
    public void Materialize_CheckpointNeededButNoneGiven_SaysHowToGiveOne()
    {
        FluentActions.Invoking(() => Materialize(""" "baseWeights":"checkpoint" """))
            .Should().Throw<ScenarioException>().WithMessage("scenario 't.json': baseWeights \"checkpoint\" needs a checkpoint*HARNESS_CHECKPOINT*");
    }

    [Test]
    public void Materialize_CheckpointLayerOutOfRange_NamesScenarioAndLayerCount()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Small, layers: 1, seed: 40);

        FluentActions.Invoking(() => Materialize(""" "baseWeights":"checkpoint","layer":5 """, new MaterializeOptions { CheckpointPath = dir.Path }))
            .Should().Throw<ScenarioException>().WithMessage("scenario 't.json': checkpoint*layer 5 out of range*1 layers*");
    }

    [Test]
    public void Materialize_CheckpointOverrideOnSyntheticBase_TakesThatParameterFromTheCheckpoint()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Small, layers: 1, seed: 40);

        var instance = Materialize(""" "baseWeights":"synthetic","seed":3,"weights":{"key.weight":"checkpoint"} """, new MaterializeOptions { CheckpointPath = dir.Path });

        instance.Weights.KeyWeight.Data.Should().Equal(SyntheticWeights.Create(Small, 40).KeyWeight.Data);
        instance.Weights.QueryWeight.Data.Should().Equal(SyntheticWeights.Create(Small, 3).QueryWeight.Data);
    }

    [Test]
    public void Materialize_NarrowerOverride_WinsOverGroup()
    {
        var instance = Materialize(""" "weights":{"qkv":{"constant":0.5},"key":{"constant":0.25},"key.bias":{"constant":-1}} """);

        instance.Weights.QueryWeight.Data.Should().OnlyContain(v => v == 0.5);
        instance.Weights.ValueBias.Data.Should().OnlyContain(v => v == 0.5);
        instance.Weights.KeyWeight.Data.Should().OnlyContain(v => v == 0.25);
        instance.Weights.KeyBias.Data.Should().OnlyContain(v => v == -1);
        instance.Settings.Should().Contain(l => l.StartsWith("query/key/value weights and biases := 0.5 (where no narrower key applies: 4 of 6", StringComparison.Ordinal));
    }

    [Test]
    public void Materialize_OverrideOnTheLastLayerDrawn_LeavesThatLayerUnchanged()
    {
        // The last synthetic layer is shared by every scenario of its shape and seed: an override must replace a
        // parameter, never write into it.
        var plain = Materialize(""" "seed":9 """).Weights;
        var before = plain.QueryWeight.Data.ToArray();

        var overridden = Materialize(""" "seed":9,"weights":{"qkv":{"constant":0.01}} """).Weights;
        var again = Materialize(""" "seed":9 """).Weights;

        overridden.QueryWeight.Data.Should().OnlyContain(v => v == 0.01);
        plain.QueryWeight.Data.Should().Equal(before);
        again.QueryWeight.Data.Should().Equal(before);
    }

    [Test]
    public void Materialize_RandomOverride_DiffersPerParameterAndHasTheStd()
    {
        var instance = Materialize(""" "weights":{"qkv.weight":{"random":{"seed":4,"std":0.5}}} """);

        instance.Weights.QueryWeight.Data.Should().NotEqual(instance.Weights.KeyWeight.Data);
        var data = instance.Weights.QueryWeight.Data;
        Math.Sqrt(data.Select(v => v * v).Average()).Should().BeInRange(0.35, 0.65);
    }

    [Test]
    public void Materialize_ZeroBiases_ZeroesAllNineBiasesOnly()
    {
        var instance = Materialize(""" "zeroBiases":true """);

        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            var isBias = suffix.EndsWith(".bias", StringComparison.Ordinal);
            get(instance.Weights).Data.All(v => v == 0).Should().Be(isBias, because: suffix);
        }

        instance.Facts.BiasesZero.Should().BeTrue();
    }

    [Test]
    public void Materialize_RandomInput_KeepsFullPrecision()
    {
        var instance = Materialize(""" "dtype":"float16","input":{"kind":"random","seed":2,"std":1} """);

        instance.Inputs.Hidden.Dtype.Should().Be(ElementType.Float64);
        instance.Inputs.Hidden.Data.Should().Contain(v => ElementType.Float16.Round(v) != v);
    }

    [Test]
    public void Materialize_FileInput_ReadsTheNamedTensor()
    {
        using var dir = new TempDirectory();
        var values = Enumerable.Range(0, 7 * 15).Select(i => i / 8.0).ToArray();
        SafetensorsWriter.Write(dir.File("in.safetensors"), [new SafetensorsTensor("hidden", new HostTensor([7, 15], values, ElementType.Float32), ElementType.Float32)]);

        var instance = Materialize(""" "input":{"kind":"file","path":"in.safetensors","tensor":"hidden"} """, baseDirectory: dir.Path);

        instance.Inputs.Hidden.Shape.Should().Equal(1, 7, 15);
        instance.Inputs.Hidden.Data.Should().Equal(values);
        instance.Facts.InputKind.Should().Be("file");
    }

    [Test]
    public void Materialize_FileInputWrongShape_NamesFileTensorAndShapes()
    {
        using var dir = new TempDirectory();
        SafetensorsWriter.Write(dir.File("in.safetensors"), [new SafetensorsTensor("hidden", new HostTensor([7, 14], new double[98], ElementType.Float32), ElementType.Float32)]);

        FluentActions.Invoking(() => Materialize(""" "input":{"kind":"file","path":"in.safetensors","tensor":"hidden"} """, baseDirectory: dir.Path))
            .Should().Throw<ScenarioException>().WithMessage("scenario 't.json': *in.safetensors*'hidden'*[7, 14]*expected [1, 7, 15]*");
    }

    [Test]
    public void Materialize_ValidLengthEqualToSequence_GivesAZeroMaskAndNoPadding()
    {
        var instance = Materialize(""" "padding":{"validLength":7} """);

        instance.Inputs.AttentionMask!.Data.Should().OnlyContain(v => v == 0);
        instance.Facts.HasPadding.Should().BeFalse();
    }

    [TestCase("float32", -3.4028234663852886E+38)]
    [TestCase("bfloat16", -3.3895313892515355E+38)]
    public void Materialize_PaddingInOtherDtypes_UsesThatDtypesMinimum(string dtype, double minimum)
    {
        var instance = Materialize($$""" "dtype":"{{dtype}}","padding":{"validLength":3} """);

        instance.Inputs.AttentionMask!.Data[6].Should().Be(minimum);
    }

    [Test]
    public void Materialize_ToleranceAndAccumulation_AreCarriedAndDescribed()
    {
        var instance = Materialize(""" "accumulationGroup":16,"tolerances":{"attn.probs":{"atol":0.001,"rtol":0.01}} """);

        instance.AccumulationGroup.Should().Be(16);
        instance.Tolerances["attn.probs"].Should().Be((0.001, 0.01));
        instance.Settings.Should().Contain("fp16 accumulation group k = 16").And.Contain("tolerance attn.probs: atol 0.001, rtol 0.01");
    }
}
