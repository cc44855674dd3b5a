using Harness.Diagnosis;
using Harness.Diagnosis.Hypotheses;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the words users read for hypothesis descriptions and departures built by hand, so a changed wording fails here.</summary>
public sealed class HypothesisTextTests
{
    private static readonly LayerSemantics Hf = LayerSemantics.HuggingFace;

    private static IEnumerable<TestCaseData> Descriptions()
    {
        yield return Case("softmax scale 1/sqrt(M) (model width)", new ScoreScaleDescription(ScoreScale.InverseSqrtModelWidth));
        yield return Case("scores not scaled at all", new ScoreScaleDescription(ScoreScale.None));
        yield return Case("softmax scale half(1)/hsqrt(half(M)) (Souffle's fp16 1/sqrt(M))", new ScoreScaleDescription(ScoreScale.Fp16InverseSqrtModelWidth));
        yield return Case("ReLU instead of the reference's activation", new ActivationDescription(Activation.Relu));
        yield return Case("GELU in its tanh approximation", new ActivationDescription(Activation.GeluTanh));
        yield return Case("softmax without max subtraction, exp rounded to fp16 (Souffle)", new SoftmaxDescription(SoftmaxStyle.Fp16ExpWithoutMax));
        yield return Case("LayerNorm eps 1e-5 (Souffle's)", new LayerNormEpsDescription(1e-5, LayerSemantics.Souffle));
        yield return Case("LayerNorm eps 1e-12 (Hugging Face's)", new LayerNormEpsDescription(1e-12, Hf));
        yield return Case("LayerNorm dividing by sqrt(var) + eps instead of sqrt(var + eps)", new EpsPlacementDescription(EpsPlacement.OutsideRoot));
        yield return Case(
            "LayerNorm from one-pass Σx, Σx² with mean, std and 1/std rounded to fp16 and a scalar affine (Souffle)",
            new LayerNormStyleDescription(LayerNormStyle.ScalarAffineFromSums));
        yield return Case("LayerNorm without its affine step (gamma 1, beta 0)", new LayerNormStyleDescription(LayerNormStyle.NoAffine));
        yield return Case("LayerNorm with one scalar gamma and beta for every channel instead of per-channel ones", new ScalarAffineDescription());
        yield return Case(
            "GEMM accumulated in fp16 (fp16 k=16 rz: groups of 16 products, one round-toward-zero per group)",
            new AccumulationDescription(new AccumulationModel(16, AccumulationRounding.TowardZero)));
        yield return Case(
            "GEMM accumulated in fp16 (fp16 k=4 rn: groups of 4 products, one round-to-nearest per group)",
            new AccumulationDescription(new AccumulationModel(4)));
        yield return Case("the souffle semantics for this stage", new PresetDescription(LayerSemantics.Souffle));
        yield return Case("FC1 bias not added", new BiasMissingDescription(Gemm.Fc1));
        yield return Case("QKV weight used untransposed (x·W instead of x·Wᵀ)", new WeightUntransposedDescription(Gemm.Qkv));
        yield return Case("residual not added before the LayerNorm", new ResidualMissingDescription());
        yield return Case("heads merged back in the wrong order (context column d*H + h instead of h*D + d)", new HeadsMergedDescription());
        yield return Case(
            "scores not scaled at all, with softmax with the row maximum subtracted (Hugging Face)",
            new PairDescription(new ScoreScaleDescription(ScoreScale.None), new SoftmaxDescription(SoftmaxStyle.MaxSubtracted)));
    }

    private static IEnumerable<TestCaseData> Departures()
    {
        yield return Case("LayerNorm two-pass with per-channel affine → one-pass Σx, Σx² with fp16 mean/rstd and scalar affine",
            new SemanticsDeparture(SemanticsPointKind.LayerNorm, Hf, Hf with { LayerNorm = LayerNormStyle.ScalarAffineFromSums }));
        yield return Case("LayerNorm eps 1E-12 → 1E-05", new SemanticsDeparture(SemanticsPointKind.LayerNormEps, Hf, Hf with { LayerNormEps = 1e-5 }));
        yield return Case("biases added → none", new SemanticsDeparture(SemanticsPointKind.Biases, Hf, Hf with { UseBiases = false }));
        yield return Case("softmax MaxSubtracted → Fp16ExpWithoutMax", new SemanticsDeparture(SemanticsPointKind.Softmax, Hf, Hf with { Softmax = SoftmaxStyle.Fp16ExpWithoutMax }));
        yield return Case("residual add working dtype → fp16", new SemanticsDeparture(SemanticsPointKind.ResidualAdd, Hf, Hf with { ResidualInFp16 = true }));
        yield return Case("fp16 rounding points off → on", new SemanticsDeparture(SemanticsPointKind.Fp16RoundingPoints, Hf, Hf with { Fp16RoundingPoints = true }));
        yield return Case("FC2 split-K 1 → 4", new SemanticsDeparture(SemanticsPointKind.Fc2SplitK, Hf with { Fc2SplitK = 1 }, Hf with { Fc2SplitK = 4 }));
        yield return Case("accumulation fp32 → fp16 k=8 rn", new SemanticsDeparture(SemanticsPointKind.Accumulation, Hf, Hf with { Accumulation = new AccumulationModel(8) }));
    }

    private static IEnumerable<TestCaseData> Reasons()
    {
        yield return Case("the FC2 biases are all zero in this layer, so a missing FC2 bias cannot be shown", new ZeroBiasesReason(Gemm.Fc2));
        yield return Case("with H=1 and D=64 both head orders coincide", new CoincidingHeadOrdersReason(1, 64));
        yield return Case("LayerNorm gamma is 1 and beta 0 in this layer, so a skipped affine step cannot be shown", new IdentityAffineReason(AffineSkipped: true));
        yield return Case("LayerNorm gamma is 1 and beta 0 in this layer, so the affine form cannot be shown", new IdentityAffineReason(AffineSkipped: false));
    }

    [TestCaseSource(nameof(Descriptions))]
    public void Description_Hypothesis_IsTheGoldenLine(HypothesisDescription description, string line)
    {
        HypothesisText.Description(description).Should().Be(line);
    }

    [TestCaseSource(nameof(Departures))]
    public void Departure_Point_IsTheGoldenLine(SemanticsDeparture departure, string line)
    {
        HypothesisText.Departure(departure).Should().Be(line);
    }

    [TestCaseSource(nameof(Reasons))]
    public void Unshowable_Reason_IsTheGoldenLine(UnshowableReason reason, string line)
    {
        HypothesisText.Unshowable(reason).Should().Be(line);
    }

    private static TestCaseData Case(string line, object record) => new TestCaseData(record, line).SetArgDisplayNames(record.GetType().Name, line);
}
