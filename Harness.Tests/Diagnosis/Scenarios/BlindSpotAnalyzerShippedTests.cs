using Harness.Diagnosis.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

public sealed class BlindSpotAnalyzerShippedTests
{
    private static readonly string[] Shipped = ShippedInstances.Names;

    private static IReadOnlyList<BlindSpot> Analyze(string name) => BlindSpotAnalyzer.Analyze(ShippedInstances.Get(name));

    private static IEnumerable<string> Codes(string name) => Analyze(name).Select(b => b.Code);

    [TestCaseSource(nameof(Shipped))]
    public void Analyze_ShippedScenario_GivesWellFormedBlindSpotsWithCanonicalTensors(string name)
    {
        var spots = Analyze(name);

        spots.Should().NotBeEmpty();
        spots.Select(b => b.Code).Should().OnlyHaveUniqueItems();
        foreach (var spot in spots)
        {
            spot.Cause.Should().NotBeNull(because: spot.Code);
            spot.HiddenDefects.Should().NotBeEmpty(because: spot.Code).And.OnlyHaveUniqueItems();
            spot.AffectedTensors.Should().NotBeEmpty(because: spot.Code).And.OnlyContain(t => TensorNames.DataflowOrder.Contains(t));
            spot.AffectedTensors.Select(TensorNames.OrderOf).Should().BeInAscendingOrder(because: $"{spot.Code} lists tensors in dataflow order");
        }
    }

    [Test]
    public void Analyze_ConstantDebug_ReportsUniformSoftmaxWhateverTheScale()
    {
        var spot = Analyze("constant-debug").Single(b => b.Code == BlindSpotCodes.UniformSoftmax);

        spot.HiddenDefects.Should().Contain([new HiddenDefect(DefectKind.ScaleOverSqrtModel), new HiddenDefect(DefectKind.RowMaxNotSubtracted)]);
        spot.Cause.Should().Be(new UniformSoftmaxCause(UniformScoresSource.IdenticalInputRows, 384));
        spot.AffectedTensors.Should().StartWith(TensorNames.AttnProbs).And.NotContain(TensorNames.AttnScores);
    }

    [Test]
    public void Analyze_ConstantDebug_ReportsTransposeBlindSpotForQueryKeyValueWeightsOnly()
    {
        var spots = Analyze("constant-debug").Where(b => BlindSpotCodes.IsWeightTransposeInvisible(b.Code)).ToList();

        spots.Select(b => b.Code).Should().BeEquivalentTo(
            BlindSpotCodes.WeightTransposeInvisible("query"),
            BlindSpotCodes.WeightTransposeInvisible("key"),
            BlindSpotCodes.WeightTransposeInvisible("value"));
        spots.SelectMany(b => b.HiddenDefects).Should().Contain(new[] { "query", "key", "value" }.Select(g => new HiddenDefect(DefectKind.WeightUntransposed, Weight(g))));
        spots.Single(b => b.Code.EndsWith(":value", StringComparison.Ordinal)).AffectedTensors.Should().StartWith(TensorNames.AttnV);
    }

    [Test]
    public void Analyze_ConstantDebug_ReportsZeroBiasesIdenticalRowsAndIdenticalHeads()
    {
        var spots = Analyze("constant-debug");

        spots.Single(b => b.Code == BlindSpotCodes.ZeroBiases).HiddenDefects
            .Should().Contain([new HiddenDefect(DefectKind.QkvBiasIgnored), .. new[] { "attentionOutput", "intermediate", "output" }.Select(g => new HiddenDefect(DefectKind.BiasIgnored, Bias(g)))]);
        spots.Single(b => b.Code == BlindSpotCodes.IdenticalTokenRows).AffectedTensors
            .Should().Contain([TensorNames.Input, TensorNames.AttnProbs, TensorNames.Output]);
        spots.Single(b => b.Code == BlindSpotCodes.IdenticalHeads).HiddenDefects.Should().Contain(new HiddenDefect(DefectKind.HeadsMergedInAnotherOrder));
        spots.Select(b => b.Code).Should().Contain(BlindSpotCodes.NoPadding).And.NotContain(BlindSpotCodes.NotUpstreamShape);
    }

    [Test]
    public void Analyze_SeedCase_ReportsTheSameAsConstantDebug()
    {
        Codes("seed-case").Should().Equal(Codes("constant-debug"));
    }

    [Test]
    public void Analyze_Random_ReportsNoneOfTheConstantDebugBlindSpots()
    {
        var codes = Codes("random").ToList();

        codes.Should().NotContain([BlindSpotCodes.UniformSoftmax, BlindSpotCodes.ZeroBiases, BlindSpotCodes.IdenticalTokenRows, BlindSpotCodes.IdenticalHeads, BlindSpotCodes.ActivationOverrides]);
        codes.Should().NotContain(c => BlindSpotCodes.IsWeightTransposeInvisible(c));
        codes.Should().Contain(BlindSpotCodes.NoPadding);
    }

    [Test]
    public void Analyze_LayoutProbe_ReportsNeitherTransposeNorHeadBlindSpot()
    {
        var codes = Codes("layout-probe").ToList();

        codes.Should().NotContain(c => BlindSpotCodes.IsWeightTransposeInvisible(c));
        codes.Should().NotContain([BlindSpotCodes.IdenticalHeads, BlindSpotCodes.UniformSoftmax, BlindSpotCodes.IdenticalTokenRows, BlindSpotCodes.ShapeCoincidences]);
        codes.Should().Contain([BlindSpotCodes.ZeroBiases, BlindSpotCodes.LayerNormAffineInvisible("attentionLayerNorm"), BlindSpotCodes.NotUpstreamShape]);
    }

    [Test]
    public void Analyze_LayoutProbe_LayerNormBlindSpotNamesIgnoredGammaAndBeta()
    {
        var spot = Analyze("layout-probe").Single(b => b.Code == BlindSpotCodes.LayerNormAffineInvisible("outputLayerNorm"));

        var gamma = LayerParameter.Of("output.LayerNorm.weight");
        spot.HiddenDefects.Should().Contain(new[] { DefectKind.LayerNormGammaIgnored, DefectKind.LayerNormBetaIgnored, DefectKind.LayerNormScalarAffine }.Select(k => new HiddenDefect(k, gamma)));
        spot.AffectedTensors.Should().Equal(TensorNames.Output);
    }

    [Test]
    public void Analyze_Padded_ReportsNoMaskingBlindSpotButTheSharedBatchMask()
    {
        var codes = Codes("padded").ToList();

        codes.Should().NotContain(BlindSpotCodes.NoPadding);
        codes.Should().Contain(BlindSpotCodes.SameMaskInEveryBatchRow);
    }

    [Test]
    public void Analyze_ActivationOverride_NamesTheUntestedProjectionAndTheConstantsDownstream()
    {
        var spots = Analyze("activation-override");
        var spot = spots.Single(b => b.Code == BlindSpotCodes.ActivationOverrides);

        var cause = spot.Cause.Should().BeOfType<ActivationOverridesCause>().Subject;
        cause.Overrides.Should().Equal(new ActivationOverride("attn.q", 0.01), new ActivationOverride("attn.k", 0.01), new ActivationOverride("attn.v", 0.01));
        cause.Stages.Should().Equal(OverriddenStage.QkvProjection);
        spot.HiddenDefects.Should().Contain(
        [
            new HiddenDefect(DefectKind.WeightUntransposed, Weight("query")), new HiddenDefect(DefectKind.BiasIgnored, Bias("query")),
            new HiddenDefect(DefectKind.WeightUntransposed, Weight("value")), new HiddenDefect(DefectKind.QkvGemmFp16Accumulation),
        ]);
        spot.AffectedTensors.Should().Contain([TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV, TensorNames.AttnScoresRaw, TensorNames.AttnProbs, TensorNames.AttnContext, TensorNames.AttnDense]);
        spot.AffectedTensors.Should().NotContain([TensorNames.AttnOutput, TensorNames.Output], because: "the random input still reaches them through the residual");
        spots.Select(b => b.Code).Should().Contain([BlindSpotCodes.UniformSoftmax, BlindSpotCodes.IdenticalHeads]).And.NotContain(BlindSpotCodes.IdenticalTokenRows);
    }

    [Test]
    public void Analyze_SmallRound_ReportsThatSequenceEqualsModelWidth()
    {
        var spot = Analyze("small-round").Single(b => b.Code == BlindSpotCodes.ShapeCoincidences);

        spot.Cause.Should().BeOfType<ShapeCoincidencesCause>().Which.Coincidences.Should().Equal(DimensionCoincidence.SequenceEqualsModel);
        spot.HiddenDefects.Should().Equal(new HiddenDefect(DefectKind.InputOrContextTransposed));
    }

    [Test]
    public void Analyze_Small_SaysTheUpstreamKernelsOnlyRunBertBaseAtS384()
    {
        var spot = Analyze("small").Single(b => b.Code == BlindSpotCodes.NotUpstreamShape);

        spot.Cause.Should().BeOfType<NotUpstreamShapeCause>().Which.Shape.ToString().Should().Be("B=2 S=7 H=3 D=5 F=11");
        Codes("random").Should().NotContain(BlindSpotCodes.NotUpstreamShape);
    }

    private static LayerParameter Weight(string group) => LayerParameter.All.Single(p => p.Group == group && p.IsMatrix);

    private static LayerParameter Bias(string group) => LayerParameter.All.Single(p => p.Group == group && p.IsLinearBias);
}
