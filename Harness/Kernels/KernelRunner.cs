using System.Diagnostics;
using Harness.Model;
using Harness.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Kernels;

/// <summary>
/// Runs a variant: converts inputs and weights to its dtype and layout on its device, poisons every output buffer with
/// NaN, calls bk_run, and reads back the tensors the variant declares.
/// </summary>
public static class KernelRunner
{
    public static KernelRun Run(KernelVariant variant, KernelRequest request)
    {
        request.Shape.Validate();
        if (!variant.Supports(request.Semantics))
        {
            throw new ArgumentException($"variant '{variant.Name}' computes {string.Join("/", variant.Semantics)} semantics, not '{request.Semantics}'");
        }

        var device = DeviceFor(variant);
        var dtype = TorchBuffers.ScalarTypeOf(variant.Dtype);
        using var scope = NewDisposeScope();
        var p = KernelLibrary.NewParams();
        var s = request.Shape;
        p.Dims = new BkDims { Batch = s.Batch, Seq = s.Sequence, Heads = s.Heads, HeadSize = s.HeadSize, Intermediate = s.Intermediate };
        p.Dtype = variant.Dtype == ElementType.Float16 ? BkConstants.DtypeF16 : BkConstants.DtypeF32;
        p.Semantics = request.Semantics == LayerSemantics.Souffle.Name ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;
        p.AccumulationGroup = request.AccumulationGroup;
        p.AccumulationRounding = request.AccumulationRounding == AccumulationRounding.TowardZero ? BkConstants.RoundTowardZero : BkConstants.RoundNearestEven;
        p.LayerNormEps = (float)request.LayerNormEps;
        p.LayerNormScalarGamma = (float)request.Weights.LayerNormScalarGamma;
        p.LayerNormScalarBeta = (float)request.Weights.LayerNormScalarBeta;

        var w = request.Weights;
        var layout = variant.Layout;
        Tensor Put(HostTensor h) => TorchBuffers.FromHost(h, dtype, device);
        Tensor Matrix(HostTensor h) => layout == WeightLayout.InOut ? Put(h).t().contiguous() : Put(h);

        p.Input = TorchBuffers.Pointer(Put(request.Inputs.Hidden));
        p.QkvWeight = TorchBuffers.Pointer(stack([Matrix(w.QueryWeight), Matrix(w.KeyWeight), Matrix(w.ValueWeight)]).contiguous());
        p.QkvBias = TorchBuffers.Pointer(stack([Put(w.QueryBias), Put(w.KeyBias), Put(w.ValueBias)]).contiguous());
        p.AttnDenseWeight = TorchBuffers.Pointer(Matrix(w.AttentionOutputWeight));
        p.AttnDenseBias = TorchBuffers.Pointer(Put(w.AttentionOutputBias));
        p.Ln1Gamma = TorchBuffers.Pointer(Put(w.AttentionLayerNormGamma));
        p.Ln1Beta = TorchBuffers.Pointer(Put(w.AttentionLayerNormBeta));
        p.Fc1Weight = TorchBuffers.Pointer(Matrix(w.IntermediateWeight));
        p.Fc1Bias = TorchBuffers.Pointer(Put(w.IntermediateBias));
        p.Fc2Weight = TorchBuffers.Pointer(Matrix(w.OutputWeight));
        p.Fc2Bias = TorchBuffers.Pointer(Put(w.OutputBias));
        p.Ln2Gamma = TorchBuffers.Pointer(Put(w.OutputLayerNormGamma));
        p.Ln2Beta = TorchBuffers.Pointer(Put(w.OutputLayerNormBeta));
        p.AttentionMask = request.Inputs.AttentionMask is { } mask ? TorchBuffers.Pointer(Put(mask)) : 0;

        var outputs = new Dictionary<string, Tensor>();
        foreach (var name in variant.Outputs)
        {
            var type = TensorNames.IsFloat32Accumulator(name) ? ScalarType.Float32 : dtype;
            var buffer = TorchBuffers.Poisoned(TensorNames.ShapeOf(name, s), type, device);
            outputs[name] = buffer;
            p.Outputs[TensorNames.ProducedIndex(name)] = TorchBuffers.Pointer(buffer);
        }

        // Stream ordering: torch may still be filling the buffers on its stream; the kernel runs on the legacy default
        // stream (params.stream = null) and synchronises it before returning, so one device-wide sync before is enough.
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        variant.Library.Run(variant.Name, in p);
        clock.Stop();

        var host = outputs.ToDictionary(
            kv => kv.Key,
            kv => TorchBuffers.ToHost(kv.Value, TensorNames.IsFloat32Accumulator(kv.Key) ? ElementType.Float32 : variant.Dtype));
        return new KernelRun(variant, host, clock.Elapsed);
    }

    private static Device DeviceFor(KernelVariant variant)
    {
        if (variant.Device == KernelDevice.Cpu)
        {
            return CPU;
        }

        if (!cuda.is_available())
        {
            throw new DeviceUnavailableException($"variant '{variant.Name}' runs on CUDA, and no CUDA device is available to TorchSharp here");
        }

        return CUDA;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            cuda.synchronize(device);
        }
    }
}
