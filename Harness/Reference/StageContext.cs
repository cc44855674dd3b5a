using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Harness.Model;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// Everything a reference stage needs besides its upstream tensors: semantics, shape, run and compute types, device,
/// the layer's weights and the additive mask as torch tensors. Owns those tensors.
/// </summary>
public sealed class StageContext : IDisposable
{
    private static readonly ConditionalWeakTable<HostTensor, ConcurrentDictionary<(ElementType, ScalarType, DeviceType, long), Tensor>> LoadedWeights = [];

    private readonly List<Tensor> owned = [];
    private readonly Tensor?[] loaded = new Tensor?[16];
    private LayerWeights weights = null!;

    private StageContext(LayerSemantics semantics, LayerShape shape, ElementType dtype, Device device)
    {
        Semantics = semantics;
        Shape = shape;
        Dtype = dtype;
        RunType = dtype.ToScalarType();
        ComputeType = dtype.ComputeType();
        Device = device;
    }

    public LayerSemantics Semantics { get; }

    public LayerShape Shape { get; }

    public ElementType Dtype { get; }

    /// <summary>The type stored tensors are in (the run dtype).</summary>
    public ScalarType RunType { get; }

    /// <summary>The type stages compute and accumulate in (float64 or float32).</summary>
    public ScalarType ComputeType { get; }

    public Device Device { get; }

    /// <summary>nn.Linear weights [out, in] and biases, rounded to the run dtype, held in the compute type.</summary>
    // Weights are converted on first use: a stage recomputed alone (diagnosis reruns hundreds) touches one or two of
    // them, and converting all twelve matrices per rerun cost more than the stage itself.
    public Tensor QueryWeight => Lazy(0, w => w.QueryWeight);
    public Tensor QueryBias => Lazy(1, w => w.QueryBias);
    public Tensor KeyWeight => Lazy(2, w => w.KeyWeight);
    public Tensor KeyBias => Lazy(3, w => w.KeyBias);
    public Tensor ValueWeight => Lazy(4, w => w.ValueWeight);
    public Tensor ValueBias => Lazy(5, w => w.ValueBias);
    public Tensor AttentionOutputWeight => Lazy(6, w => w.AttentionOutputWeight);
    public Tensor AttentionOutputBias => Lazy(7, w => w.AttentionOutputBias);
    public Tensor IntermediateWeight => Lazy(8, w => w.IntermediateWeight);
    public Tensor IntermediateBias => Lazy(9, w => w.IntermediateBias);
    public Tensor OutputWeight => Lazy(10, w => w.OutputWeight);
    public Tensor OutputBias => Lazy(11, w => w.OutputBias);

    public Tensor AttentionNormGamma => ScalarAffine ? LazyScalar(12, w => w.LayerNormScalarGamma) : Lazy(12, w => w.AttentionLayerNormGamma);
    public Tensor AttentionNormBeta => ScalarAffine ? LazyScalar(13, w => w.LayerNormScalarBeta) : Lazy(13, w => w.AttentionLayerNormBeta);

    public Tensor OutputNormGamma => ScalarAffine ? LazyScalar(12, w => w.LayerNormScalarGamma) : Lazy(14, w => w.OutputLayerNormGamma);
    public Tensor OutputNormBeta => ScalarAffine ? LazyScalar(13, w => w.LayerNormScalarBeta) : Lazy(15, w => w.OutputLayerNormBeta);

    // Souffle passes gamma and beta by value as half scalars, the same pair for both LayerNorms.
    private bool ScalarAffine => Semantics.LayerNorm == LayerNormStyle.ScalarAffineFromSums;

    public Tensor? Mask { get; private set; }

    /// <summary>Builds the context; throws naming the first weight or mask whose shape does not fit.</summary>
    public static StageContext Create(LayerShape shape, LayerWeights weights, HostTensor? attentionMask, LayerSemantics semantics, ElementType dtype, string device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(semantics);
        shape.Validate();
        weights.Validate(shape);
        ValidateSemantics(semantics);
        if (attentionMask is not null && !attentionMask.ShapeEquals(shape.Batch, shape.Sequence))
        {
            throw new ArgumentException($"attention mask has shape {attentionMask.ShapeText}, expected [{shape.Batch}, {shape.Sequence}] (additive, over key positions)");
        }

        var ctx = new StageContext(semantics, shape, dtype, ResolveDevice(device));
        try
        {
            ctx.weights = weights;
            if (attentionMask is not null)
            {
                var mask = ctx.Load(attentionMask);
                ctx.Mask = mask.view(shape.Batch, 1, 1, shape.Sequence);
                ctx.owned.Add(ctx.Mask);
            }

            return ctx;
        }
        catch
        {
            ctx.Dispose();
            throw;
        }
    }

    /// <summary>A host tensor on the device in the run dtype (rounded on the host, exactly), held in the compute type.</summary>
    public Tensor Load(HostTensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Invariant: a tensor this context owns outlives any dispose scope it is first loaded in; the context alone
        // disposes it.
        var t = OnDevice(host);
        owned.Add(t);
        return t;
    }

    /// <summary>A host tensor rounded to the run dtype, on the device in the compute type, outside any dispose scope.</summary>
    // Invariant: a host tensor's values are exact in its Dtype, so one already in the run dtype (a weight the verifier
    // rounded, a kernel's output) and any in float64 round to themselves: no rounded copy is made (for a layer's
    // weights that copy was 7M conversions per reference).
    private Tensor OnDevice(HostTensor host) =>
        HostTensors.ToTorch(host.Dtype == Dtype || Dtype == ElementType.Float64 ? host : host.RoundedTo(Dtype), ComputeType, Device).DetachFromDisposeScope();

    /// <summary>A weight, loaded on first use (see <see cref="Shared"/>).</summary>
    private Tensor Lazy(int slot, Func<LayerWeights, HostTensor> pick) => loaded[slot] ??= Shared(pick(weights));

    /// <summary>
    /// <see cref="Load"/> of a weight, made once per host tensor, run dtype, compute type and device and shared by every
    /// context: a diagnosis reruns stages about a hundred times on the same weights, and rounding and copying a weight
    /// matrix per rerun cost more than many a stage. The tensor lives as long as its host tensor.
    /// </summary>
    // Invariant: stages only read their weights (no in-place op on a context's weight), so one tensor serves every context.
    private Tensor Shared(HostTensor host) => LoadedWeights.GetOrCreateValue(host).GetOrAdd(
        (Dtype, ComputeType, Device.type, Device.index),
        _ => OnDevice(host));

    private Tensor LazyScalar(int slot, Func<LayerWeights, double> pick) => loaded[slot] ??= LoadScalar(pick(weights));

    public Tensor Working(Tensor t) => RunType == ComputeType ? t.alias() : t.to_type(RunType).to_type(ComputeType);

    /// <summary>Rounds to fp16 where the semantics has fp16 rounding points; identity otherwise.</summary>
    public Tensor Point(Tensor t) => Semantics.Fp16RoundingPoints ? Fp16Rounding.Round(t) : t.alias();

    /// <summary>A stage input brought into the compute type on the device.</summary>
    public Tensor Enter(Tensor t) => t.to_type(ComputeType).to(Device);

    /// <summary>A stage result stored in the run dtype.</summary>
    public Tensor Store(Tensor t) => t.to_type(RunType);

    public void Dispose()
    {
        foreach (var t in owned)
        {
            t.Dispose();
        }

        owned.Clear();
        Array.Clear(loaded);
    }

    private Tensor LoadScalar(double value)
    {
        var v = Semantics.Fp16RoundingPoints ? (double)(Half)value : Dtype.Round(value);
        var wide = torch.tensor(v, ScalarType.Float64);
        var typed = wide.to_type(ComputeType);
        var t = typed.to(Device).DetachFromDisposeScope();
        // Invariant: the intermediates stay reachable until the conversion is done (this may run outside any dispose
        // scope, and TorchSharp hands libtorch bare handles: see HostTensors.ToHost).
        GC.KeepAlive(wide);
        GC.KeepAlive(typed);
        owned.Add(t);
        return t;
    }

    private static Device ResolveDevice(string device)
    {
        switch (device?.ToLowerInvariant())
        {
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new ArgumentException("device 'cuda' requested but torch.cuda.is_available() is false on this machine");
                }

                return torch.CUDA;
            default:
                throw new ArgumentException($"unknown device '{device}'; expected cpu or cuda");
        }
    }

    private static void ValidateSemantics(LayerSemantics s)
    {
        if (s.Fc2SplitK < 1)
        {
            throw new ArgumentException($"semantics '{s.Name}': Fc2SplitK must be >= 1, got {s.Fc2SplitK}");
        }

        if (s.Accumulation.GroupSize < 0)
        {
            throw new ArgumentException($"semantics '{s.Name}': accumulation group size must be >= 0, got {s.Accumulation.GroupSize}");
        }

        if (!(s.LayerNormEps >= 0) || double.IsInfinity(s.LayerNormEps))
        {
            throw new ArgumentException($"semantics '{s.Name}': LayerNormEps must be a finite non-negative number, got {s.LayerNormEps}");
        }
    }
}
