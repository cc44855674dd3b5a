using Harness.Model;
using TorchSharp;
using static Harness.Model.TensorNames;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// The reference BERT layer: one forward, parametrised point by point by <see cref="LayerSemantics"/>, composed of
/// <see cref="ReferenceStages"/> in the order <see cref="StageCatalog.Stages"/> lists them.
/// </summary>
public static class BertLayerReference
{
    /// <summary>
    /// Runs the layer; B, S, M come from the hidden states, F from the FC1 weight, H from
    /// <see cref="ReferenceOptions.Heads"/> (or M / 64).
    /// </summary>
    public static LayerTrace Forward(LayerInputs inputs, LayerWeights weights, ReferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        return Forward(InferShape(inputs, weights, options), inputs, weights, options);
    }

    /// <summary>Runs the layer at an explicit shape; throws naming the first input, weight or option that does not fit.</summary>
    public static LayerTrace Forward(LayerShape shape, LayerInputs inputs, LayerWeights weights, ReferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        shape.Validate();
        if (!inputs.Hidden.ShapeEquals(shape.Batch, shape.Sequence, shape.Model))
        {
            throw new ArgumentException($"input hidden states have shape {inputs.Hidden.ShapeText}, expected [{shape.Batch}, {shape.Sequence}, {shape.Model}] for {shape}");
        }

        var overrides = options.ActivationOverrides ?? new Dictionary<string, double>();
        foreach (var name in overrides.Keys)
        {
            if (!DataflowOrder.Contains(name))
            {
                throw new ArgumentException($"activation override names unknown tensor '{name}'; known: {string.Join(", ", DataflowOrder)}");
            }
        }

        using var ctx = StageContext.Create(shape, weights, inputs.AttentionMask, options.Semantics, options.Dtype, options.Device);
        using var scope = NewDisposeScope();
        var trace = new Dictionary<string, Tensor>();

        Tensor Keep(string name, Tensor t)
        {
            if (overrides.TryGetValue(name, out var value))
            {
                t = full(t.shape, value, t.dtype, t.device);
            }

            trace[name] = t;
            return t;
        }

        using (var hidden = ctx.Load(inputs.Hidden))
        {
            Keep(Input, ctx.Store(hidden));
        }

        var (q, k, v, qkv) = ReferenceStages.Projections(trace[Input], ctx);
        q = Keep(AttnQ, q);
        k = Keep(AttnK, k);
        v = Keep(AttnV, v);
        if (overrides.ContainsKey(AttnQ) || overrides.ContainsKey(AttnK) || overrides.ContainsKey(AttnV))
        {
            qkv = ReferenceStages.StackQkv(q, k, v, shape);
        }

        qkv = Keep(AttnQkv, qkv);
        if (overrides.ContainsKey(AttnQkv))
        {
            // The stacked buffer is what flows on (Souffle's qkv_output), so q, k, v become its slices.
            (q, k, v) = ReferenceStages.SplitQkv(qkv, shape);
            (trace[AttnQ], trace[AttnK], trace[AttnV]) = (q, k, v);
        }

        var (raw, scores) = ReferenceStages.Scores(q, k, ctx);
        Keep(AttnScoresRaw, raw);
        scores = Keep(AttnScores, scores);

        var (rowSum, probs) = ReferenceStages.Softmax(scores, ctx);
        Keep(AttnSoftmaxRowSum, rowSum);
        probs = Keep(AttnProbs, probs);

        var context = Keep(AttnContext, ReferenceStages.Context(probs, v, ctx));
        var dense = Keep(AttnDense, ReferenceStages.AttentionDense(context, ctx));

        var (attnSum, attnSumSq, attnOutput) = ReferenceStages.AddAndNorm(dense, trace[Input], ctx.AttentionNormGamma, ctx.AttentionNormBeta, ctx);
        Keep(AttnLnSum, attnSum);
        Keep(AttnLnSumSq, attnSumSq);
        attnOutput = Keep(AttnOutput, attnOutput);

        var fc1Linear = Keep(FfnFc1Linear, ReferenceStages.Fc1(attnOutput, ctx));
        var fc1 = Keep(FfnFc1, ReferenceStages.Activation(fc1Linear, ctx));
        var fc2Linear = Keep(FfnFc2Linear, ReferenceStages.Fc2(fc1, ctx));

        var (ffnSum, ffnSumSq, output) = ReferenceStages.AddAndNorm(fc2Linear, attnOutput, ctx.OutputNormGamma, ctx.OutputNormBeta, ctx);
        Keep(FfnLnSum, ffnSum);
        Keep(FfnLnSumSq, ffnSumSq);
        Keep(Output, output);

        foreach (var t in trace.Values)
        {
            t.MoveToOuterDisposeScope();
        }

        return new LayerTrace(trace, options.Dtype, shape);
    }

    /// <summary>The layer shape implied by the inputs, the weights and <see cref="ReferenceOptions.Heads"/>.</summary>
    public static LayerShape InferShape(LayerInputs inputs, LayerWeights weights, ReferenceOptions options)
    {
        var hidden = inputs.Hidden;
        if (hidden.Shape.Length != 3)
        {
            throw new ArgumentException($"input hidden states must be [B, S, M], got shape {hidden.ShapeText}");
        }

        var model = (int)hidden.Shape[2];
        if (weights.IntermediateWeight.Shape.Length != 2)
        {
            throw new ArgumentException($"weight 'intermediate.dense.weight' must be [F, M], got shape {weights.IntermediateWeight.ShapeText}");
        }

        var intermediate = (int)weights.IntermediateWeight.Shape[0];
        int heads;
        if (options.Heads is { } h)
        {
            if (h <= 0 || model % h != 0)
            {
                throw new ArgumentException($"options.Heads = {h} does not divide the model width M = {model}");
            }

            heads = h;
        }
        else
        {
            if (model % ReferenceOptions.BertHeadSize != 0)
            {
                throw new ArgumentException($"model width M = {model} is not a multiple of BERT's head size {ReferenceOptions.BertHeadSize}; set ReferenceOptions.Heads");
            }

            heads = model / ReferenceOptions.BertHeadSize;
        }

        return new LayerShape((int)hidden.Shape[0], (int)hidden.Shape[1], heads, model / heads, intermediate);
    }
}
