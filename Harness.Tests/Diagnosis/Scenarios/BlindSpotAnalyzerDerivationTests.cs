using Harness.Diagnosis.Scenarios;
using Harness.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

/// <summary>Blind spots follow the values, whatever the scenario is called: small scenarios built to have (or lack) one degeneracy each.</summary>
public sealed class BlindSpotAnalyzerDerivationTests
{
    private const string ConstantInput = """{ "kind": "constant", "value": 0.25 }""";

    private static List<string> Codes(ScenarioInstance instance) => BlindSpotAnalyzer.Analyze(instance).Select(b => b.Code).ToList();

    [Test]
    public void Analyze_ConstantInputUnderARandomLookingName_ReportsIdenticalRowsAndUniformSoftmax()
    {
        var codes = Codes(SmallScenario.Materialize(name: "random", input: ConstantInput));

        codes.Should().Contain([BlindSpotCodes.IdenticalTokenRows, BlindSpotCodes.UniformSoftmax]);
        codes.Should().NotContain(BlindSpotCodes.IdenticalHeads, because: "random value weights make every head different");
    }

    [Test]
    public void Analyze_ConstantInputWithPadding_UniformOverValidKeysOnly()
    {
        var spot = BlindSpotAnalyzer.Analyze(SmallScenario.Materialize(input: ConstantInput, validLength: 5))
            .Single(b => b.Code == BlindSpotCodes.UniformSoftmax);

        spot.Cause.Should().Be(new UniformSoftmaxCause(UniformScoresSource.IdenticalInputRows, null));
    }

    [Test]
    public void Analyze_SymmetricPatternWeight_ReportsTransposeOfThatMatrixOnly()
    {
        // rowStep = columnStep makes w[o][i] a function of o + i: symmetric, yet not constant.
        var instance = SmallScenario.Materialize(weights: """
            { "attentionOutput.weight": { "pattern": { "rowStep": 3, "columnStep": 3, "modulus": 16, "offset": -8, "divisor": 256 } } }
            """);

        var spots = BlindSpotAnalyzer.Analyze(instance).Where(b => BlindSpotCodes.IsWeightTransposeInvisible(b.Code)).ToList();

        spots.Should().ContainSingle().Which.Code.Should().Be(BlindSpotCodes.WeightTransposeInvisible("attentionOutput"));
        spots[0].HiddenDefects.Should().Equal(new HiddenDefect(DefectKind.WeightUntransposed, LayerParameter.Of("attention.output.dense.weight")));
        spots[0].AffectedTensors.Should().StartWith(TensorNames.AttnDense);
    }

    [Test]
    public void Analyze_AsymmetricPatternWeight_ReportsNoTranspose()
    {
        var codes = Codes(SmallScenario.Materialize(weights: """
            { "attentionOutput.weight": { "pattern": { "rowStep": 3, "columnStep": 5, "modulus": 16, "offset": -8, "divisor": 256 } } }
            """));

        codes.Should().NotContain(c => BlindSpotCodes.IsWeightTransposeInvisible(c));
    }

    [Test]
    public void Analyze_HeadPeriodicProjectionsOnRandomInput_ReportsIdenticalHeadsButNotUniformSoftmax()
    {
        // With D = 5 and rowStep 3, rows o and o + 5 differ by 15 ≡ 0 (mod 15): every head is the same projection.
        const string periodic = """{ "pattern": { "rowStep": 3, "columnStep": 7, "modulus": 15, "offset": -7, "divisor": 64 } }""";
        var instance = SmallScenario.Materialize(zeroBiases: true, weights: $$"""{ "query.weight": {{periodic}}, "key.weight": {{periodic}}, "value.weight": {{periodic}} }""");

        var codes = Codes(instance);

        codes.Should().Contain(BlindSpotCodes.IdenticalHeads);
        codes.Should().NotContain([BlindSpotCodes.UniformSoftmax, BlindSpotCodes.IdenticalTokenRows]);
    }

    [Test]
    public void Analyze_HeadPeriodicValueButRandomQueryKey_ReportsNoIdenticalHeads()
    {
        const string periodic = """{ "pattern": { "rowStep": 3, "columnStep": 7, "modulus": 15, "offset": -7, "divisor": 64 } }""";
        var codes = Codes(SmallScenario.Materialize(zeroBiases: true, weights: $$"""{ "value.weight": {{periodic}} }"""));

        codes.Should().NotContain(BlindSpotCodes.IdenticalHeads, because: "different heads attend differently");
    }

    [Test]
    public void Analyze_MaskWithEveryKeyValid_StillReportsNoPadding()
    {
        var spot = BlindSpotAnalyzer.Analyze(SmallScenario.Materialize(validLength: 7)).Single(b => b.Code == BlindSpotCodes.NoPadding);

        spot.Cause.Should().Be(new NoPaddingCause(MaskPresent: true));
        spot.HiddenDefects.Should().Contain(new HiddenDefect(DefectKind.MaskIgnored));
    }

    [Test]
    public void Analyze_NonZeroConstantBias_ReportsWrongIndexingNotZeroBias()
    {
        var codes = Codes(SmallScenario.Materialize(weights: """{ "intermediate.bias": { "constant": 0.5 } }"""));

        codes.Should().Contain(BlindSpotCodes.ConstantBiases).And.NotContain(BlindSpotCodes.ZeroBiases);
    }

    [Test]
    public void Analyze_SouffleSemantics_ReportsBiasesUnusedAndIdentityScalarAffine()
    {
        var spots = BlindSpotAnalyzer.Analyze(SmallScenario.Materialize(semantics: "souffle"));

        spots.Select(b => b.Code).Should().Contain(BlindSpotCodes.BiasesUnusedBySemantics).And.NotContain(BlindSpotCodes.ZeroBiases);
        spots.Single(b => b.Code == BlindSpotCodes.LayerNormAffineInvisible("attentionLayerNorm")).HiddenDefects
            .Should().Contain(new HiddenDefect(DefectKind.LayerNormScalarGammaIgnored, LayerParameter.Of("attention.output.LayerNorm.weight")));
    }

    [Test]
    public void Analyze_RandomSmallScenario_ReportsOnlyMaskAndShapeBlindSpots()
    {
        Codes(SmallScenario.Materialize()).Should().BeEquivalentTo(BlindSpotCodes.NoPadding, BlindSpotCodes.NotUpstreamShape);
    }

    [Test]
    public void Analyze_HeadsEqualHeadSizeAndSequenceEqualsHeads_ReportsBothCoincidences()
    {
        var spot = BlindSpotAnalyzer.Analyze(SmallScenario.Materialize(shape: """{ "batch": 1, "sequence": 3, "heads": 3, "headSize": 3, "intermediate": 11 }"""))
            .Single(b => b.Code == BlindSpotCodes.ShapeCoincidences);

        spot.Cause.Should().BeOfType<ShapeCoincidencesCause>().Which.Coincidences.Should()
            .Contain([DimensionCoincidence.HeadsEqualHeadSize, DimensionCoincidence.SequenceEqualsHeads, DimensionCoincidence.SequenceEqualsHeadSize]);
    }

    [Test]
    public void Analyze_ScoresOverriddenOnRandomInput_ReportsUniformSoftmaxFromTheOverride()
    {
        var spots = BlindSpotAnalyzer.Analyze(SmallScenario.Materialize(activationOverrides: """{ "attn.scores": 0.5 }"""));

        spots.Single(b => b.Code == BlindSpotCodes.UniformSoftmax).Cause.Should().BeOfType<UniformSoftmaxCause>().Which.Source.Should().Be(UniformScoresSource.ScoresOverridden);
        spots.Single(b => b.Code == BlindSpotCodes.ActivationOverrides).Cause.Should().BeOfType<ActivationOverridesCause>().Which.Stages.Should().Equal(OverriddenStage.ScoreScalingAndMask);
    }

    [Test]
    public void Analyze_InstanceWithWrongWeightShape_NamesScenarioAndParameter()
    {
        var instance = SmallScenario.Materialize(name: "broken");
        var broken = instance with { Weights = instance.Weights with { KeyWeight = HostTensor.Filled([2, 2], 0, ElementType.Float64) } };

        FluentActions.Invoking(() => BlindSpotAnalyzer.Analyze(broken))
            .Should().Throw<ArgumentException>().WithMessage("scenario 'broken' cannot be analysed: weight 'attention.self.key.weight' has shape [2, 2]*");
    }
}
