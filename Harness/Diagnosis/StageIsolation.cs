using Harness.Comparison;
using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>
/// Separates the error each stage introduces from the error it inherits: every stage whose outputs the kernel wrote is
/// recomputed with the verification's reference semantics (accumulation model included) from the kernel's own
/// upstream tensors, once in float64 (the isolated recompute) and once in the kernel's dtype (its budget).
/// </summary>
/// <remarks>
/// Introduced error = kernel vs isolated, judged by <see cref="ErrorBudget.Judge"/> with the kernel-dtype recompute as
/// the low-precision reference, i.e. exactly the budget rule of the verification applied to one stage. Inherited
/// error = isolated vs truth, measured against the verification's own budget for the tensor.
/// </remarks>
public static class StageIsolation
{
    public static IReadOnlyList<StageIsolationResult> Isolate(LayerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var results = new List<StageIsolationResult>();
        foreach (var stage in StageCatalog.Stages)
        {
            if (stage.Produces.Any(verification.Kernel.ContainsKey))
            {
                results.Add(IsolateStage(verification, stage));
            }
        }

        return results;
    }

    /// <summary>The upstream tensors of <paramref name="stage"/> as the kernel saw them, and those taken from the truth.</summary>
    public static (Dictionary<string, HostTensor> Upstream, List<string> FromTruth) KernelUpstream(LayerVerification verification, StageInfo stage)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(stage);
        var upstream = new Dictionary<string, HostTensor>();
        var fromTruth = new List<string>();
        foreach (var name in stage.Consumes)
        {
            if (verification.Kernel.TryGetValue(name, out var own))
            {
                upstream[name] = own;
            }
            else if (name is AttnQ or AttnK or AttnV && verification.Kernel.TryGetValue(AttnQkv, out var qkv))
            {
                upstream[name] = SliceOfQkv(qkv, name, verification.Shape);
            }
            else
            {
                upstream[name] = verification.Truth[name];
                if (name != Input)
                {
                    fromTruth.Add(name);
                }
            }
        }

        return (upstream, fromTruth);
    }

    private static StageIsolationResult IsolateStage(LayerVerification v, StageInfo stage)
    {
        var (upstream, fromTruth) = KernelUpstream(v, stage);
        var mask = v.Setup.Inputs.AttentionMask;
        var device = v.Setup.ReferenceDevice;
        var isolated = StageRecomputer.Run(stage, upstream, v.ReferenceSemantics, v.Setup.Weights, v.Shape, mask, ElementType.Float64, device);
        var lowPrecision = StageRecomputer.Run(stage, upstream, v.ReferenceSemantics, v.Setup.Weights, v.Shape, mask, v.KernelDtype, device);

        // Accumulator step scales are read at the magnitudes this stage actually summed: the kernel's upstream and the isolated outputs.
        var scales = new Dictionary<string, HostTensor>(v.Truth);
        foreach (var (name, t) in upstream.Concat(isolated))
        {
            scales[name] = t;
        }

        var tensors = new List<IsolatedTensor>();
        foreach (var name in stage.Produces.Where(v.Kernel.ContainsKey))
        {
            var introduced = ErrorBudget.Judge(
                name, v.Kernel[name], isolated[name], lowPrecision[name],
                v.Setup.Tolerances.GetValueOrDefault(name), AccumulatorScales.For(name, scales, v.KernelDtype));
            tensors.Add(new IsolatedTensor
            {
                Name = name,
                Isolated = isolated[name],
                Introduced = introduced,
                Inherited = InheritedAgainst(isolated[name], v.Truth[name], v.Comparison.Verdicts.FirstOrDefault(x => x.Name == name)),
            });
        }

        return new StageIsolationResult(stage, fromTruth, tensors);
    }

    private static InheritedError InheritedAgainst(HostTensor isolated, HostTensor truth, TensorVerdict? verdict)
    {
        var d = Discrepancy.Between(isolated, truth);
        var used = verdict is null || double.IsNaN(verdict.MaxAbsBudget)
            ? double.NaN
            : d.IsFinite ? Math.Max(d.MaxAbs / verdict.MaxAbsBudget, d.Rmse / verdict.RmseBudget) : double.PositiveInfinity;
        return new InheritedError(d.MaxAbs, d.Rmse, d.NonFiniteMismatches, used);
    }

    /// <summary>attn.q, attn.k or attn.v [B,H,S,D] from a stacked attn.qkv [3,B·H,S,D].</summary>
    private static HostTensor SliceOfQkv(HostTensor qkv, string name, LayerShape s)
    {
        var part = name switch { AttnQ => 0, AttnK => 1, _ => 2 };
        var length = (long)s.Batch * s.Heads * s.Sequence * s.HeadSize;
        var data = new double[length];
        Array.Copy(qkv.Data, part * length, data, 0, length);
        return new HostTensor(ShapeOf(name, s), data, qkv.Dtype);
    }
}
