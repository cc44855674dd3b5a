using System.Diagnostics;
using Harness.Model;
using Harness.Native;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Kernels;

/// <summary>
/// A variant with its buffers laid out on its device, ready to be invoked any number of times (a benchmark re-invokes
/// it; a verification invokes it once). Every invocation re-poisons the outputs first.
/// </summary>
public sealed class PreparedKernelCall : IDisposable
{
    private readonly List<Tensor> owned = [];
    private readonly Dictionary<string, Tensor> outputs = [];
    private BkParams parameters;

    /// <param name="variant">What to run.</param>
    /// <param name="request">The layer, its inputs and weights, the semantics.</param>
    /// <param name="wanted">
    /// The declared outputs to lay out and pass (null = every one, as verification needs). The others get null
    /// pointers, which the ABI reads as "not wanted": the bench asks for the layer's output alone, as a deployed layer would.
    /// </param>
    public PreparedKernelCall(KernelVariant variant, KernelRequest request, IReadOnlyCollection<string>? wanted = null)
    {
        request.Shape.Validate();
        if (!variant.Supports(request.Semantics))
        {
            throw new ArgumentException($"variant '{variant.Name}' computes {string.Join("/", variant.Semantics)} semantics, not '{request.Semantics}'");
        }

        // The registry's limits are checked before a device is chosen or a byte is allocated.
        variant.EnsureRuns(request.Shape);

        Variant = variant;
        Device = DeviceFor(variant);
        try
        {
            parameters = Lay(variant, request, Device, wanted ?? variant.Outputs);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public KernelVariant Variant { get; }

    public Device Device { get; }

    /// <summary>The synchronous run's params as laid out (a copy): every buffer, the workspace, the ABI fields.</summary>
    public BkParams Parameters => parameters;

    /// <summary>Bytes of workspace the variant asked for (bk_workspace_size); 0 for none or an ABI 1 library.</summary>
    public ulong WorkspaceSize => parameters.WorkspaceSize;

    /// <summary>
    /// The params for an asynchronous run on <paramref name="stream"/> (a cudaStream_t): a copy with BK_RUN_ASYNC set,
    /// every buffer and the workspace as laid out. The caller synchronises and keeps this call alive meanwhile.
    /// </summary>
    public BkParams AsyncParameters(nint stream)
    {
        if (!Variant.SupportsAsync)
        {
            throw new InvalidOperationException($"variant '{Variant.Name}' (ABI {Variant.Abi}, flags {Variant.Flags}) cannot run asynchronously");
        }

        var copy = parameters;
        copy.RunFlags = BkConstants.RunAsync;
        copy.Stream = stream;
        return copy;
    }

    /// <summary>
    /// Poisons every output with NaN, runs the variant once, and returns the wall-clock time of the run (its enqueue and
    /// completion). A variant that can run asynchronously is run that way (BK_RUN_ASYNC on the legacy default stream,
    /// then a device-wide synchronisation), so every verification exercises the path the bench captures in graphs;
    /// the others run synchronously.
    /// </summary>
    public TimeSpan Invoke()
    {
        foreach (var buffer in outputs.Values)
        {
            buffer.fill_(double.NaN);
        }

        // Stream ordering: torch fills buffers on its stream and the kernel runs on the legacy default stream
        // (params.stream = null), so a device-wide sync before the run and after an asynchronous one orders both.
        Synchronize();
        var run = Variant.SupportsAsync ? AsyncParameters(0) : parameters;
        var clock = Stopwatch.StartNew();
        Variant.Library.Run(Variant.Name, in run);
        Synchronize();
        clock.Stop();
        return clock.Elapsed;
    }

    /// <summary>Every tensor the variant declares, as float64 host copies in the variant's dtype (fp32 for accumulators).</summary>
    public IReadOnlyDictionary<string, HostTensor> ReadOutputs() => outputs.ToDictionary(
        kv => kv.Key,
        kv => HostTensors.ToHost(kv.Value));

    /// <summary>One declared output as a float64 host copy (see <see cref="ReadOutputs"/>).</summary>
    public HostTensor ReadOutput(string name) => HostTensors.ToHost(outputs[name]);

    /// <summary>The bytes of every declared output as the last run left them (host copies, in the buffers' own dtypes).</summary>
    public IReadOnlyDictionary<string, byte[]> OutputBytes() => outputs.ToDictionary(kv => kv.Key, kv =>
    {
        using var host = kv.Value.cpu();
        return host.bytes.ToArray();
    });

    /// <summary>Whether the output <paramref name="name"/> holds exactly <paramref name="bytes"/> (bit for bit, as <see cref="OutputBytes"/> gave them).</summary>
    public bool OutputEquals(string name, byte[] bytes)
    {
        using var host = outputs[name].cpu();
        return host.bytes.SequenceEqual(bytes);
    }

    public void Dispose()
    {
        foreach (var t in owned)
        {
            t.Dispose();
        }

        owned.Clear();
    }

    private BkParams Lay(KernelVariant variant, KernelRequest request, Device device, IReadOnlyCollection<string> wanted)
    {
        // Intermediates (transposes, stacks) die with this scope; the buffers the kernel reads are kept until Dispose.
        using var temporaries = NewDisposeScope();
        var dtype = variant.Dtype.ToScalarType();
        var s = request.Shape;
        var w = request.Weights;
        nint Keep(Tensor t)
        {
            owned.Add(t.DetachFromDisposeScope());
            return TorchBuffers.Pointer(t);
        }

        Tensor Put(HostTensor h) => TorchBuffers.FromHost(h, dtype, device);
        Tensor Matrix(HostTensor h) => variant.Layout == WeightLayout.InOut ? Put(h).t().contiguous() : Put(h);

        var p = KernelLibrary.NewParams(variant.Abi);
        p.Dims = new BkDims { Batch = s.Batch, Seq = s.Sequence, Heads = s.Heads, HeadSize = s.HeadSize, Intermediate = s.Intermediate };
        p.Dtype = variant.Dtype == ElementType.Float16 ? BkConstants.DtypeF16 : BkConstants.DtypeF32;
        p.Semantics = request.Semantics == LayerSemantics.Souffle.Name ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;
        p.AccumulationGroup = request.AccumulationGroup;
        p.AccumulationRounding = request.AccumulationRounding == AccumulationRounding.TowardZero ? BkConstants.RoundTowardZero : BkConstants.RoundNearestEven;
        p.LayerNormEps = (float)request.LayerNormEps;
        p.LayerNormScalarGamma = (float)w.LayerNormScalarGamma;
        p.LayerNormScalarBeta = (float)w.LayerNormScalarBeta;
        p.Input = Keep(Put(request.Inputs.Hidden));
        p.QkvWeight = Keep(stack([Matrix(w.QueryWeight), Matrix(w.KeyWeight), Matrix(w.ValueWeight)]).contiguous());
        // A semantics without biases gets null bias pointers (= zero), as the upstream Souffle binding passes zeros.
        var biases = LayerSemantics.Preset(request.Semantics).UseBiases;
        nint Bias(HostTensor h) => biases ? Keep(Put(h)) : 0;
        p.QkvBias = biases ? Keep(stack([Put(w.QueryBias), Put(w.KeyBias), Put(w.ValueBias)]).contiguous()) : 0;
        p.AttnDenseWeight = Keep(Matrix(w.AttentionOutputWeight));
        p.AttnDenseBias = Bias(w.AttentionOutputBias);
        p.Ln1Gamma = Keep(Put(w.AttentionLayerNormGamma));
        p.Ln1Beta = Keep(Put(w.AttentionLayerNormBeta));
        p.Fc1Weight = Keep(Matrix(w.IntermediateWeight));
        p.Fc1Bias = Bias(w.IntermediateBias);
        p.Fc2Weight = Keep(Matrix(w.OutputWeight));
        p.Fc2Bias = Bias(w.OutputBias);
        p.Ln2Gamma = Keep(Put(w.OutputLayerNormGamma));
        p.Ln2Beta = Keep(Put(w.OutputLayerNormBeta));
        p.AttentionMask = request.Inputs.AttentionMask is { } mask ? Keep(Put(mask)) : 0;
        foreach (var name in variant.Outputs.Where(wanted.Contains))
        {
            var type = TensorNames.IsFloat32Accumulator(name) ? ScalarType.Float32 : dtype;
            var buffer = TorchBuffers.Poisoned(TensorNames.ShapeOf(name, s), type, device);
            outputs[name] = buffer;
            p.Outputs[TensorNames.ProducedIndex(name)] = Keep(buffer);
        }

        var bytes = variant.Library.WorkspaceSize(variant.Name, in p);
        if (bytes > 0)
        {
            var workspace = empty([checked((long)bytes)], ScalarType.Byte, device);
            p.Workspace = Keep(workspace);
            p.WorkspaceSize = bytes;
            var alignment = device.type == DeviceType.CUDA ? BkConstants.AlignmentCuda : BkConstants.AlignmentCpu;
            // Invariant: torch's allocators give every fresh block at least the alignment bert_kernels.h promises.
            if (p.Workspace % alignment != 0)
            {
                throw new InvalidOperationException($"torch gave a {bytes}-byte workspace at 0x{p.Workspace:x}, not {alignment}-byte aligned");
            }
        }

        return p;
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

    private void Synchronize()
    {
        if (Device.type == DeviceType.CUDA)
        {
            cuda.synchronize(Device);
        }
    }
}
