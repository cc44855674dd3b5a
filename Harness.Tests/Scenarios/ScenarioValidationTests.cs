using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class ScenarioValidationTests
{
    private static Action Parsing(string json) => () => ScenarioParser.Parse(json, "x.json", null);

    // Each case: a scenario file that is wrong in one way, and the one error that must name what is wrong.
    [TestCase("""{"name":"x","shapes":{}}""", "scenario 'x.json': unknown field 'shapes'*", TestName = "Parse_UnknownTopLevelField_NamesFieldAndFile")]
    [TestCase("""{"shape":{"heds":3}}""", "scenario 'x.json': unknown field 'shape.heds'*headSize*", TestName = "Parse_UnknownNestedField_NamesThePath")]
    [TestCase("""{"weights":{"query":{"constant":"big"}}}""", "scenario 'x.json': weights.query.constant must be a number*", TestName = "Parse_WrongTypeInWeightOverride_NamesTheJsonPath")]
    [TestCase("""{"shape":{"sequence":7.5}}""", "*shape.sequence must be an integer*", TestName = "Parse_FractionalShape_SaysIntegerExpected")]
    [TestCase("""{"activationOverrides":{"attn.query":0.01}}""", "*unknown field 'activationOverrides.attn.query'*attn.q*", TestName = "Parse_UnknownActivationOverrideName_ListsCanonicalNames")]
    [TestCase("""{"semantics":"tensorrt"}""", "scenario 'x.json': semantics unknown semantics preset 'tensorrt'*huggingface or souffle*", TestName = "Parse_UnknownSemantics_NamesFieldAndPresets")]
    [TestCase("""{"dtype":"int8"}""", "*dtype unknown dtype 'int8'*", TestName = "Parse_UnknownDtype_NamesTheField")]
    [TestCase("""{"input":{"kind":"zeros"}}""", "*input.kind must be one of constant, random, pattern, file, text*zeros*", TestName = "Parse_UnknownInputKind_ListsKinds")]
    [TestCase("""{"input":{"kind":"constant"}}""", "*input.value is required*", TestName = "Parse_ConstantInputMissingValue_SaysRequired")]
    [TestCase("""{"input":{"kind":"constant","value":1,"std":2}}""", "*unknown field 'input.std'*", TestName = "Parse_FieldOfAnotherInputKind_IsUnknown")]
    [TestCase("""{"dtype":"float16","input":{"kind":"constant","value":70000}}""", "*input.value 70000 overflows float16*", TestName = "Parse_ConstantOverflowingTheDtype_SaysSo")]
    [TestCase("""{"weights":{"queries":{"constant":1}}}""", "*unknown field 'weights.queries'*qkv.weight*", TestName = "Parse_UnknownWeightKey_ListsKnownKeys")]
    [TestCase("""{"weights":{"key":{"constant":1,"random":{"seed":1,"std":1}}}}""", "*weights.key must hold exactly one*", TestName = "Parse_WeightOverrideWithTwoSources_SaysExactlyOne")]
    [TestCase("""{"weights":{"value":"zeros"}}""", "*weights.value must be \"checkpoint\"*", TestName = "Parse_WeightOverrideUnknownString_SaysCheckpointExpected")]
    [TestCase("""{"zeroBiases":true,"weights":{"query.bias":{"constant":1}}}""", "*weights.query.bias overrides a bias*zeroBiases*", TestName = "Parse_BiasOverrideWithZeroBiases_IsAConflict")]
    [TestCase("""{"shape":{"sequence":7},"padding":{"validLength":8}}""", "*padding.validLength must be between 1 and 7, got 8*", TestName = "Parse_ValidLengthBeyondSequence_GivesTheRange")]
    [TestCase("""{"tolerances":{"output":{"atol":-1,"rtol":0}}}""", "*tolerances.output.atol must be ≥ 0*", TestName = "Parse_NegativeTolerance_NamesThePath")]
    [TestCase("""{"accumulationGroup":-1}""", "*accumulationGroup must be ≥ 0*", TestName = "Parse_NegativeAccumulationGroup_NamesTheField")]
    [TestCase("""{"baseWeights":"random"}""", "*baseWeights must be \"synthetic\", \"checkpoint\" or \"checkpoint-or-synthetic\"*", TestName = "Parse_UnknownBaseWeights_ListsChoices")]
    [TestCase("""{"seed":1,"seed":2}""", "*field 'seed' appears twice*", TestName = "Parse_DuplicateField_SaysItAppearsTwice")]
    [TestCase("{", "scenario 'x.json': not valid JSON*", TestName = "Parse_NotJson_NamesTheFile")]
    [TestCase("[]", "scenario 'x.json': * must be an object*", TestName = "Parse_TopLevelArray_SaysObjectExpected")]
    [TestCase("""{"shape":{"sequence":100000,"heads":64}}""", "*shape*too large*", TestName = "Parse_HugeShape_SaysTooLarge")]
    public void Parse_InvalidScenario_ThrowsNamingTheProblem(string json, string message)
    {
        Parsing(json).Should().Throw<ScenarioException>().WithMessage(message);
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
