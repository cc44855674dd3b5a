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
    private readonly List<Tensor> owned = [];

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
    public Tensor QueryWeight { get; private set; } = null!;
    public Tensor QueryBias { get; private set; } = null!;
    public Tensor KeyWeight { get; private set; } = null!;
    public Tensor KeyBias { get; private set; } = null!;
    public Tensor ValueWeight { get; private set; } = null!;
    public Tensor ValueBias { get; private set; } = null!;
    public Tensor AttentionOutputWeight { get; private set; } = null!;
    public Tensor AttentionOutputBias { get; private set; } = null!;
    public Tensor IntermediateWeight { get; private set; } = null!;
    public Tensor IntermediateBias { get; private set; } = null!;
    public Tensor OutputWeight { get; private set; } = null!;
    public Tensor OutputBias { get; private set; } = null!;

    /// <summary>LayerNorm affine after attention: per-channel [M], or 0-d scalars for <see cref="LayerNormStyle.ScalarAffineFromSums"/>.</summary>
    public Tensor AttentionNormGamma { get; private set; } = null!;
    public Tensor AttentionNormBeta { get; private set; } = null!;

    /// <summary>LayerNorm affine of the output, as <see cref="AttentionNormGamma"/>.</summary>
    public Tensor OutputNormGamma { get; private set; } = null!;
    public Tensor OutputNormBeta { get; private set; } = null!;

    /// <summary>The additive key mask as [B,1,1,S] in the compute type (values rounded to the run dtype), or null.</summary>
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
            ctx.QueryWeight = ctx.Load(weights.QueryWeight);
            ctx.QueryBias = ctx.Load(weights.QueryBias);
            ctx.KeyWeight = ctx.Load(weights.KeyWeight);
            ctx.KeyBias = ctx.Load(weights.KeyBias);
            ctx.ValueWeight = ctx.Load(weights.ValueWeight);
            ctx.ValueBias = ctx.Load(weights.ValueBias);
            ctx.AttentionOutputWeight = ctx.Load(weights.AttentionOutputWeight);
            ctx.AttentionOutputBias = ctx.Load(weights.AttentionOutputBias);
            ctx.IntermediateWeight = ctx.Load(weights.IntermediateWeight);
            ctx.IntermediateBias = ctx.Load(weights.IntermediateBias);
            ctx.OutputWeight = ctx.Load(weights.OutputWeight);
            ctx.OutputBias = ctx.Load(weights.OutputBias);
            if (semantics.LayerNorm == LayerNormStyle.ScalarAffineFromSums)
            {
                // Souffle passes gamma and beta by value as half scalars.
                var gamma = ctx.LoadScalar(weights.LayerNormScalarGamma);
                var beta = ctx.LoadScalar(weights.LayerNormScalarBeta);
                (ctx.AttentionNormGamma, ctx.AttentionNormBeta, ctx.OutputNormGamma, ctx.OutputNormBeta) = (gamma, beta, gamma, beta);
            }
            else
            {
                ctx.AttentionNormGamma = ctx.Load(weights.AttentionLayerNormGamma);
                ctx.AttentionNormBeta = ctx.Load(weights.AttentionLayerNormBeta);
                ctx.OutputNormGamma = ctx.Load(weights.OutputLayerNormGamma);
                ctx.OutputNormBeta = ctx.Load(weights.OutputLayerNormBeta);
            }

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
        var rounded = host.RoundedTo(Dtype);
        var t = HostTensors.ToTorch(rounded, ComputeType, Device);
        owned.Add(t);
        return t;
    }

    /// <summary>Rounds a compute-type tensor to the run dtype and back (what storing it in the run dtype does).</summary>
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
    }

    private Tensor LoadScalar(double value)
    {
        var v = Semantics.Fp16RoundingPoints ? (double)(Half)value : Dtype.Round(value);
        var t = torch.tensor(v, ScalarType.Float64).to_type(ComputeType).to(Device);
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
