using Harness.Model;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;

namespace Harness.Diagnosis;

/// <summary>Reruns one reference stage on given host tensors, with given semantics and weights, in a given dtype.</summary>
/// <remarks>Only the products <c>keep</c> names are copied to the host (all when it is null): a hypothesis judges one or two of a
/// stage's products, and copying the others (attn.scores_raw beside attn.scores, attn.probs beside the row sums) cost about
/// as much as the stage.</remarks>
internal static class StageRecomputer
{
    public static Dictionary<string, HostTensor> Run(
        StageInfo stage,
        IReadOnlyDictionary<string, HostTensor> upstream,
        LayerSemantics semantics,
        LayerWeights weights,
        LayerShape shape,
        HostTensor? mask,
        ElementType dtype,
        string device,
        Func<string, bool>? keep = null)
    {
        using var scope = torch.NewDisposeScope();
        using var ctx = StageContext.Create(shape, weights, mask, semantics, dtype, device);
        var inputs = new Dictionary<string, torch.Tensor>();
        foreach (var name in stage.Consumes)
        {
            // Invariant: the caller supplies every consumed tensor (isolation fills gaps from the truth). Stages never
            // change their inputs in place, so the host arrays are read where they are (a hundred reruns copied them).
            inputs[name] = ctx.Store(HostTensors.ReadOnlyView(upstream[name]).to(ctx.Device));
        }

        var produced = StageCatalog.Recompute(stage.Name, inputs, ctx);
        return produced.Where(p => keep is null || keep(p.Key)).ToDictionary(p => p.Key, p => HostTensors.ToHost(p.Value));
    }
}
