using FluentAssertions;
using Harness.Scenarios;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

public sealed class ScenarioValidationTests
{
    private static Action Parsing(string json) => () => ScenarioParser.Parse(json, "x.json", null);

    [Test]
    public void Parse_UnknownTopLevelField_NamesFieldAndFile()
    {
        Parsing("""{"name":"x","shapes":{}}""").Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': unknown field 'shapes'*");
    }

    [Test]
    public void Parse_UnknownNestedField_NamesThePath()
    {
        Parsing("""{"shape":{"heds":3}}""").Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': unknown field 'shape.heds'*headSize*");
    }

    [Test]
    public void Parse_WrongTypeInWeightOverride_NamesTheJsonPath()
    {
        Parsing("""{"weights":{"query":{"constant":"big"}}}""")
            .Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': weights.query.constant must be a number*");
    }

    [TestCase("batch")]
    [TestCase("sequence")]
    [TestCase("heads")]
    [TestCase("headSize")]
    [TestCase("intermediate")]
    public void Parse_NonPositiveShape_NamesTheDimension(string field)
    {
        Parsing("{\"shape\":{\"" + field + "\":-3}}").Should().Throw<ScenarioException>().WithMessage($"scenario 'x.json': shape.{field} must be ≥ 1, got -3");
    }

    [Test]
    public void Parse_FractionalShape_SaysIntegerExpected()
    {
        Parsing("""{"shape":{"sequence":7.5}}""").Should().Throw<ScenarioException>().WithMessage("*shape.sequence must be an integer*");
    }

    [Test]
    public void Parse_UnknownActivationOverrideName_ListsCanonicalNames()
    {
        Parsing("""{"activationOverrides":{"attn.query":0.01}}""")
            .Should().Throw<ScenarioException>().WithMessage("*unknown field 'activationOverrides.attn.query'*attn.q*");
    }

    [Test]
    public void Parse_UnknownSemantics_NamesFieldAndPresets()
    {
        Parsing("""{"semantics":"tensorrt"}""").Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': semantics unknown semantics preset 'tensorrt'*huggingface or souffle*");
    }

    [Test]
    public void Parse_UnknownDtype_NamesTheField()
    {
        Parsing("""{"dtype":"int8"}""").Should().Throw<ScenarioException>().WithMessage("*dtype unknown dtype 'int8'*");
    }

    [Test]
    public void Parse_UnknownInputKind_ListsKinds()
    {
        Parsing("""{"input":{"kind":"zeros"}}""").Should().Throw<ScenarioException>().WithMessage("*input.kind must be one of constant, random, pattern, file, text*zeros*");
    }

    [Test]
    public void Parse_ConstantInputMissingValue_SaysRequired()
    {
        Parsing("""{"input":{"kind":"constant"}}""").Should().Throw<ScenarioException>().WithMessage("*input.value is required*");
    }

    [Test]
    public void Parse_FieldOfAnotherInputKind_IsUnknown()
    {
        Parsing("""{"input":{"kind":"constant","value":1,"std":2}}""").Should().Throw<ScenarioException>().WithMessage("*unknown field 'input.std'*");
    }

    [Test]
    public void Parse_ConstantOverflowingTheDtype_SaysSo()
    {
        Parsing("""{"dtype":"float16","input":{"kind":"constant","value":70000}}""").Should().Throw<ScenarioException>().WithMessage("*input.value 70000 overflows float16*");
    }

    [Test]
    public void Parse_UnknownWeightKey_ListsKnownKeys()
    {
        Parsing("""{"weights":{"queries":{"constant":1}}}""").Should().Throw<ScenarioException>().WithMessage("*unknown field 'weights.queries'*qkv.weight*");
    }

    [Test]
    public void Parse_WeightOverrideWithTwoSources_SaysExactlyOne()
    {
        Parsing("""{"weights":{"key":{"constant":1,"random":{"seed":1,"std":1}}}}""").Should().Throw<ScenarioException>().WithMessage("*weights.key must hold exactly one*");
    }

    [Test]
    public void Parse_WeightOverrideUnknownString_SaysCheckpointExpected()
    {
        Parsing("""{"weights":{"value":"zeros"}}""").Should().Throw<ScenarioException>().WithMessage("*weights.value must be \"checkpoint\"*");
    }

    [Test]
    public void Parse_BiasOverrideWithZeroBiases_IsAConflict()
    {
        Parsing("""{"zeroBiases":true,"weights":{"query.bias":{"constant":1}}}""").Should().Throw<ScenarioException>().WithMessage("*weights.query.bias overrides a bias*zeroBiases*");
    }

    [Test]
    public void Parse_ValidLengthBeyondSequence_GivesTheRange()
    {
        Parsing("""{"shape":{"sequence":7},"padding":{"validLength":8}}""").Should().Throw<ScenarioException>().WithMessage("*padding.validLength must be between 1 and 7, got 8*");
    }

    [Test]
    public void Parse_NegativeTolerance_NamesThePath()
    {
        Parsing("""{"tolerances":{"output":{"atol":-1,"rtol":0}}}""").Should().Throw<ScenarioException>().WithMessage("*tolerances.output.atol must be ≥ 0*");
    }

    [Test]
    public void Parse_NegativeAccumulationGroup_NamesTheField()
    {
        Parsing("""{"accumulationGroup":-1}""").Should().Throw<ScenarioException>().WithMessage("*accumulationGroup must be ≥ 0*");
    }

    [Test]
    public void Parse_UnknownBaseWeights_ListsChoices()
    {
        Parsing("""{"baseWeights":"random"}""").Should().Throw<ScenarioException>().WithMessage("*baseWeights must be \"synthetic\", \"checkpoint\" or \"checkpoint-or-synthetic\"*");
    }

    [Test]
    public void Parse_DuplicateField_SaysItAppearsTwice()
    {
        Parsing("""{"seed":1,"seed":2}""").Should().Throw<ScenarioException>().WithMessage("*field 'seed' appears twice*");
    }

    [Test]
    public void Parse_NotJson_NamesTheFile()
    {
        Parsing("{").Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': not valid JSON*");
    }

    [Test]
    public void Parse_TopLevelArray_SaysObjectExpected()
    {
        Parsing("[]").Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': * must be an object*");
    }

    [Test]
    public void Parse_HugeShape_SaysTooLarge()
    {
        Parsing("""{"shape":{"sequence":100000,"heads":64}}""").Should().Throw<ScenarioException>().WithMessage("*shape*too large*");
    }

    [Test]
    public void Parse_EmptyObject_GivesBertBaseDefaults()
    {
        var s = ScenarioParser.Parse("{}", "defaults.json", null);

        s.Name.Should().Be("defaults");
        s.Shape.Should().Be(Harness.Model.LayerShape.BertBase384);
        s.Dtype.Should().Be(Harness.Model.ElementType.Float16);
        s.Semantics.Name.Should().Be("huggingface");
        s.BaseWeights.Should().Be(BaseWeights.CheckpointOrSynthetic);
        s.AccumulationGroup.Should().BeNull();
    }
}
