using Harness.Diagnosis.Scenarios;
using Harness.Model;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the blind-spot descriptions users read, for causes built by hand, so a changed wording fails here.</summary>
public sealed class BlindSpotTextTests
{
    private static readonly LayerShape Small = new(2, 7, 3, 5, 11);

    private static IEnumerable<TestCaseData> Golden()
    {
        yield return Case(
            "The input is constant (0.125 everywhere), so every token position computes the same numbers and anything that depends on "
            + "which row is which cannot show; these tensors have identical token rows: input, attn.q.",
            new IdenticalTokenRowsCause(0.125, ["input", "attn.q"]));
        yield return Case(
            "Every token row of the input is identical within its sequence, so every token position computes the same numbers and "
            + "anything that depends on which row is which cannot show; these tensors have identical token rows: input.",
            new IdenticalTokenRowsCause(null, ["input"]));
        yield return Case(
            "The scores are overridden to a constant: each score row is constant over the keys, so the softmax is exactly uniform "
            + "(1/S = 1/384) whatever the scale. attn.probs and everything after it cannot show a scale or max-subtraction error; "
            + "only attn.scores_raw, attn.scores (and a variant's row sums, where they hold unnormalised exponentials) can show the scale.",
            new UniformSoftmaxCause(UniformScoresSource.ScoresOverridden, 384));
        yield return Case(
            "attn.k is overridden to a constant, so every key row is the same: each score row is constant over the keys, so the softmax "
            + "is exactly uniform (1 over the number of valid keys) whatever the scale. attn.probs and everything after it cannot show "
            + "a scale or max-subtraction error; only attn.scores_raw, attn.scores (and a variant's row sums, where they hold "
            + "unnormalised exponentials) can show the scale.",
            new UniformSoftmaxCause(UniformScoresSource.KeysOverridden, null));
        yield return Case(
            "attn.context is constant, so every head's block of attn.context is the same and the order in which heads are split or merged cannot show.",
            new IdenticalHeadsCause(true));
        yield return Case(
            "The attention dense weights are constant (0.01): read transposed, with rows or columns permuted or with the wrong leading "
            + "dimension they give the same numbers, so their layout is untested.",
            new ConstantWeightCause(LayerParameter.Of("attention.output.dense.weight"), 0.01));
        yield return Case(
            "The FC1 weights equal their own transpose, so a kernel that uses them transposed computes the same numbers.",
            new SymmetricWeightCause(LayerParameter.Of("intermediate.dense.weight")));
        yield return Case(
            "The souffle semantics treats every linear bias as zero, so the reference cannot tell a kernel that adds the biases, "
            + "ignores them or adds them at the wrong point.",
            new BiasesUnusedCause("souffle"));
        yield return Case(
            "The query/key/value biases and FC2 biases are zero, so a kernel that never adds them, or adds them at the wrong point, computes the same numbers.",
            new ZeroBiasesCause([.. new[] { "query", "key", "value", "output" }.Select(Bias)]));
        yield return Case(
            "The query biases and key biases are constant, so a kernel that indexes them by the wrong dimension (per token instead of "
            + "per channel) computes the same numbers.",
            new ConstantBiasesCause([Bias("query"), Bias("key")]));
        yield return Case(
            "The output LayerNorm gamma is 1 in every channel and beta is 0 in every channel, so a kernel that gets its affine wrong "
            + "in these ways computes the same numbers.",
            new ConstantLayerNormAffineCause(LayerParameter.Of("output.LayerNorm.weight"), 1, 0));
        yield return Case(
            "The souffle semantics applies a scalar gamma 1 and beta 0, an identity affine where it is 1 and 0, so a kernel that skips it computes the same numbers.",
            new ScalarLayerNormAffineCause("souffle", 1, 0));
        yield return Case(
            "The reference replaces attn.q, attn.k := 0.01 after computing them, so the QKV projection (GEMM, QKV bias, head split) cannot influence any later "
            + "tensor and the query/key/value weights are untested beyond attn.q, attn.k; downstream, attn.scores_raw become constant "
            + "or have identical token rows.",
            new ActivationOverridesCause(
                [new ActivationOverride("attn.q", 0.01), new ActivationOverride("attn.k", 0.01)],
                [OverriddenStage.QkvProjection],
                [.. new[] { "query", "key", "value" }.Select(g => LayerParameter.Of($"attention.self.{g}.weight"))],
                ["attn.scores_raw"]));
        yield return Case(
            "There is no attention mask, so every key is valid and nothing tests masking.",
            new NoPaddingCause(MaskPresent: false));
        yield return Case(
            "Every one of the 2 batch rows masks the same key positions, so a kernel that uses one batch row's mask for all computes the same numbers.",
            new SameMaskCause(2));
        yield return Case(
            "At B=2 S=7 H=3 D=5 F=11 (M=15) S = H, B = H: these mistakes keep the expected shape, so no shape check catches them; only the values can.",
            new ShapeCoincidencesCause(Small, [DimensionCoincidence.SequenceEqualsHeads, DimensionCoincidence.BatchEqualsHeads]));
        yield return Case(
            "The Souffle kernels upstream only run bert-base at B=1, S=384 (H=12, D=64, F=3072; 108 attention blocks and 96 "
            + "feed-forward blocks, tiled for that shape); at B=2 S=7 H=3 D=5 F=11 a variant is tested on its own terms, and nothing "
            + "here says how the upstream kernels behave.",
            new NotUpstreamShapeCause(Small));
    }

    [TestCaseSource(nameof(Golden))]
    public void Description_Cause_IsTheGoldenLine(BlindSpotCause cause, string line) =>
        BlindSpotText.Description(cause).Should().Be(line);

    [TestCase(DefectKind.HeadsMergedInAnotherOrder, null, "heads merged in another order")]
    [TestCase(DefectKind.WeightUntransposed, "attention.output.dense.weight", "attention dense weight used untransposed")]
    [TestCase(DefectKind.BiasIgnored, "intermediate.dense.bias", "FC1 bias ignored")]
    [TestCase(DefectKind.LayerNormScalarAffine, "output.LayerNorm.weight", "output LayerNorm applied with a scalar gamma and beta instead of per-channel ones")]
    [TestCase(DefectKind.InputOrContextTransposed, null, "input or attn.context read transposed ([M, S] for [S, M])")]
    public void Line_Defect_IsTheGoldenLine(DefectKind kind, string? parameter, string line) =>
        HiddenDefectText.Line(new HiddenDefect(kind, parameter is null ? null : LayerParameter.Of(parameter))).Should().Be(line);

    [Test]
    public void Line_AnyErrorInStage_NamesTheStage() =>
        HiddenDefectText.Line(new HiddenDefect(DefectKind.AnyErrorInStage, Stage: OverriddenStage.Softmax)).Should().Be("any error in the softmax");

    [Test]
    public void Join_EveryParameter_IsOnePhrase() =>
        LayerParameterText.Join(LayerParameter.All).Should().Be("every weight, bias and LayerNorm parameter");

    private static LayerParameter Bias(string group) =>
        LayerParameter.All.Single(p => p.Group == group && p.IsLinearBias);

    private static TestCaseData Case(string line, BlindSpotCause cause) =>
        new TestCaseData(cause, line).SetArgDisplayNames(cause.GetType().Name, line);
}
