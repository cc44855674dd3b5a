using Harness.Model;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;

namespace Harness.Diagnosis;

/// <summary>Reruns one reference stage on given host tensors, with given semantics and weights, in a given dtype.</summary>
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
        string device)
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
        return produced.ToDictionary(p => p.Key, p => HostTensors.ToHost(p.Value));
    }
}
