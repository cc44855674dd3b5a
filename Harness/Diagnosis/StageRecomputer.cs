using Harness.Model;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;

namespace Harness.Diagnosis;

/// <summary>Reruns one reference stage on given host tensors, with given semantics and weights, in a given dtype.</summary>
/// <remarks>Only the products <c>keep</c> names are kept (all when it is null): a hypothesis judges one or two of a
/// stage's products, and copying the others (attn.scores_raw beside attn.scores, attn.probs beside the row sums) cost about
/// as much as the stage.</remarks>
internal static class StageRecomputer
{
    /// <summary>
    /// The stage's products <paramref name="keep"/> names (all when null): those <paramref name="hold"/> names stay in
    /// libtorch's memory as float64 (read in place by the caller, who disposes the result); the others are copied to
    /// the host.
    /// </summary>
    public static RerunProducts Run(
        StageInfo stage,
        IReadOnlyDictionary<string, HostTensor> upstream,
        LayerSemantics semantics,
        LayerWeights weights,
        LayerShape shape,
        HostTensor? mask,
        ElementType dtype,
        string device,
        Func<string, bool>? keep = null,
        Func<string, bool>? hold = null)
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

        var products = new RerunProducts();
        try
        {
            foreach (var (name, t) in StageCatalog.Recompute(stage.Name, inputs, ctx).Where(p => keep is null || keep(p.Key)))
            {
                if (hold is not null && hold(name))
                {
                    products.Hold(name, Float64OnCpu(t));
                }
                else
                {
                    products.Add(name, HostTensors.ToHost(t));
                }
            }

            return products;
        }
        catch
        {
            products.Dispose();
            throw;
        }
    }

    /// <summary>The values of <paramref name="t"/> as a contiguous float64 CPU tensor outside the dispose scope (no copy when it is one already).</summary>
    private static torch.Tensor Float64OnCpu(torch.Tensor t)
    {
        // Invariant: every intermediate is held by a variable until the last conversion is done (see HostTensors.ToHost).
        using var wide = t.to_type(torch.ScalarType.Float64);
        using var onCpu = wide.cpu();
        var contiguous = onCpu.contiguous();
        return contiguous.DetachFromDisposeScope();
    }
}
