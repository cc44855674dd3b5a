using Harness.Model;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Harness.Benchmarking;

/// <summary>
/// The Hugging Face BertLayer written as a framework user would write it in TorchSharp: fp16 on the GPU, nn.Linear
/// products, scaled_dot_product_attention (PyTorch picks its fused attention kernel), erf GELU, two LayerNorms, no
/// intermediate kept. The bench's eager TorchSharp peer in Hugging Face semantics; never a source of truth (the
/// verification reference is <see cref="Reference.BertLayerReference"/>).
/// </summary>
public sealed class SdpaBertLayer : IDisposable
{
    private readonly LayerShape shape;
    private readonly double eps;
    private readonly Tensor wq, bq, wk, bk, wv, bv, wo, bo, g1, b1, w1, c1, w2, c2, g2, b2;
    private readonly Tensor? mask;

    public SdpaBertLayer(LayerShape shape, LayerWeights w, HostTensor? attentionMask, double eps, Device device)
    {
        this.shape = shape;
        this.eps = eps;
        Tensor Put(HostTensor h) => HostTensors.ToTorch(h, ScalarType.Float16, device);
        (wq, bq, wk, bk, wv, bv) = (Put(w.QueryWeight), Put(w.QueryBias), Put(w.KeyWeight), Put(w.KeyBias), Put(w.ValueWeight), Put(w.ValueBias));
        (wo, bo, g1, b1) = (Put(w.AttentionOutputWeight), Put(w.AttentionOutputBias), Put(w.AttentionLayerNormGamma), Put(w.AttentionLayerNormBeta));
        (w1, c1, w2, c2) = (Put(w.IntermediateWeight), Put(w.IntermediateBias), Put(w.OutputWeight), Put(w.OutputBias));
        (g2, b2) = (Put(w.OutputLayerNormGamma), Put(w.OutputLayerNormBeta));
        // The [B,S] additive key mask broadcast over heads and query rows, as SDPA takes it.
        mask = attentionMask is null ? null : Put(attentionMask).view(shape.Batch, 1, 1, shape.Sequence);
    }

    /// <summary>One forward of the layer on <paramref name="input"/> [B,S,M] (fp16, on the layer's device).</summary>
    public Tensor Forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (b, s, h, d, m) = (shape.Batch, shape.Sequence, shape.Heads, shape.HeadSize, shape.Model);
        Tensor Heads(Tensor t) => t.view(b, s, h, d).transpose(1, 2);
        var context = F.scaled_dot_product_attention(Heads(F.linear(input, wq, bq)), Heads(F.linear(input, wk, bk)), Heads(F.linear(input, wv, bv)), mask);
        var merged = context.transpose(1, 2).reshape(b, s, m);
        var attention = F.layer_norm(F.linear(merged, wo, bo) + input, [m], g1, b1, eps);
        var intermediate = F.gelu(F.linear(attention, w1, c1));
        return F.layer_norm(F.linear(intermediate, w2, c2) + attention, [m], g2, b2, eps).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in new[] { wq, bq, wk, bk, wv, bv, wo, bo, g1, b1, w1, c1, w2, c2, g2, b2 })
        {
            t.Dispose();
        }

        mask?.Dispose();
    }
}
