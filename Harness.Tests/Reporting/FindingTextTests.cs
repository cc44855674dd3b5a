using Harness.Diagnosis;
using Harness.Diagnosis.Hypotheses;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines: the words users read for findings built by hand, so a changed wording fails here.</summary>
public sealed class FindingTextTests
{
    [Test]
    public void Line_FirstDivergence_NamesVariantReferenceScenarioAndTensor()
    {
        FindingText.Line(new FirstDivergence("cpu-souffle", "huggingface", "seed-case", "attn.scores"))
            .Should().Be("cpu-souffle vs huggingface (seed-case): first divergence at attn.scores");
    }

    [Test]
    public void Line_StageWithoutHypothesisAndUnusableBudget_SaysSo()
    {
        FindingText.Line(new ErrorEntersStage("Projections", ["attn.q", "attn.k"], double.NaN, null, []))
            .Should().Be("attn.q, attn.k: error enters here (introduced an unusable budget); no hypothesis applies");
    }

    [Test]
    public void Line_StageWithPartlyExplainingBest_GivesShareRemovedDeparturesAndOthers()
    {
        var best = new HypothesisResult
        {
            Name = "souffle semantics for this stage",
            Description = new PresetDescription(LayerSemantics.Souffle),
            IsComposite = true,
            Tensors =
            [
                new HypothesisTensorResult("attn.ln_sum", new Discrepancy(0, 0, 0), 1.0, true),
                new HypothesisTensorResult("attn.output", new Discrepancy(1e-3, 1e-4, 0), 0.5, false),
            ],
            Departures =
            [
                new SemanticsDeparture(SemanticsPointKind.LayerNormEps, LayerSemantics.HuggingFace, LayerSemantics.HuggingFace with { LayerNormEps = 1e-5 }),
                new SemanticsDeparture(SemanticsPointKind.Biases, LayerSemantics.HuggingFace, LayerSemantics.HuggingFace with { UseBiases = false }),
            ],
        };

        FindingText.Line(new ErrorEntersStage("Attention LayerNorm", ["attn.ln_sum", "attn.output"], 12.345, best, ["LayerNorm one-pass"]))
            .Should().Be("attn.ln_sum, attn.output: error enters here (introduced 12.3× budget); best explanation: the souffle semantics for this stage " +
                         "(removes 75% of the error; explains attn.ln_sum, not attn.output); departures the tensors show: " +
                         "LayerNorm eps 1E-12 → 1E-05; biases added → none; also explained by: LayerNorm one-pass");
    }

    [Test]
    public void Line_GroupFitWithoutExactModel_GivesTheClosestAndItsError()
    {
        FindingText.Line(new AccumulationGroupFit([], new AccumulationModel(8, AccumulationRounding.TowardZero), 0.001234))
            .Should().Be("accumulation group: closest fit to the kernel's QKV projections is fp16 k=8 rz (max abs 0.00123); none reproduces them exactly");
    }

    [Test]
    public void Line_GroupFitWithExactModels_ListsThem()
    {
        FindingText.Line(new AccumulationGroupFit([new AccumulationModel(16), new AccumulationModel(32)], new AccumulationModel(16), 0))
            .Should().Be("accumulation group: fp16 k=16 rn / fp16 k=32 rn reproduces the kernel's QKV projections exactly");
    }

    [Test]
    public void Line_ReferenceOnlyOverrides_ListsEachWithInvariantNumbers()
    {
        FindingText.Line(new ReferenceOnlyOverrides([new("attn.q", 0.01), new("attn.k", 1.5)]))
            .Should().StartWith("the scenario overrides attn.q := 0.01, attn.k := 1.5 in the reference only (a kernel cannot apply it)");
    }

    [Test]
    public void Lines_NoHypothesisAndCannotBeShown_OneLineEachInOrder()
    {
        FindingText.Lines([new NoHypothesisExplains(["Scores", "FC1"]), new CannotBeShown("QKV bias missing", new ZeroBiasesReason(Gemm.Qkv))])
            .Should().Equal("no hypothesis explains: Scores, FC1", "cannot be shown with this layer: QKV bias missing (the QKV biases are all zero in this layer, so a missing QKV bias cannot be shown)");
    }
}
