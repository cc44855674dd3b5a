using System.Diagnostics;
using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

/// <summary>
/// A variant with its buffers laid out on its device, ready to be invoked any number of times (a benchmark re-invokes
/// it; a verification invokes it once). Every invocation re-poisons the outputs first.
/// </summary>
public sealed class PreparedKernelCall : IDisposable
{
    private readonly Dictionary<string, OutputBuffer> outputs = [];
    private readonly KernelBuffers buffers;
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
        buffers = KernelBuffers.For(variant);
        try
        {
            parameters = Lay(variant, request, buffers, wanted ?? variant.Outputs, outputs);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public KernelVariant Variant { get; }

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
            buffer.Poison();
        }

        // Stream ordering: torch fills buffers on its stream and the kernel runs on the legacy default stream
        // (params.stream = null), so a device-wide sync before the run and after an asynchronous one orders both.
        buffers.Synchronize();
        var run = Variant.SupportsAsync ? AsyncParameters(0) : parameters;
        var clock = Stopwatch.StartNew();
        Variant.Library.Run(Variant.Name, in run);
        buffers.Synchronize();
        clock.Stop();
        return clock.Elapsed;
    }

    /// <summary>Every tensor the variant declares, as float64 host copies in the variant's dtype (fp32 for accumulators).</summary>
    public IReadOnlyDictionary<string, HostTensor> ReadOutputs() => outputs.ToDictionary(kv => kv.Key, kv => kv.Value.Read());

    /// <summary>One declared output as a float64 host copy (see <see cref="ReadOutputs"/>).</summary>
    public HostTensor ReadOutput(string name) => outputs[name].Read();

    /// <summary>The bytes of every declared output as the last run left them (host copies, in the buffers' own dtypes).</summary>
    public IReadOnlyDictionary<string, byte[]> OutputBytes() => outputs.ToDictionary(kv => kv.Key, kv => kv.Value.Bytes());

    /// <summary>Whether the output <paramref name="name"/> holds exactly <paramref name="bytes"/> (bit for bit, as <see cref="OutputBytes"/> gave them).</summary>
    public bool OutputEquals(string name, byte[] bytes) => outputs[name].Holds(bytes);

    public void Dispose()
    {
        outputs.Clear();
        buffers.Dispose();
    }

    private static BkParams Lay(KernelVariant variant, KernelRequest request, KernelBuffers buffers, IReadOnlyCollection<string> wanted, Dictionary<string, OutputBuffer> outputs)
    {
        var s = request.Shape;
        var w = request.Weights;
        var p = KernelLibrary.NewParams(variant.Abi);
        p.Dims = new BkDims { Batch = s.Batch, Seq = s.Sequence, Heads = s.Heads, HeadSize = s.HeadSize, Intermediate = s.Intermediate };
        p.Dtype = variant.Dtype == ElementType.Float16 ? BkConstants.DtypeF16 : BkConstants.DtypeF32;
        p.Semantics = request.Semantics == LayerSemantics.Souffle.Name ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;
        p.AccumulationGroup = request.AccumulationGroup;
        p.AccumulationRounding = request.AccumulationRounding == AccumulationRounding.TowardZero ? BkConstants.RoundTowardZero : BkConstants.RoundNearestEven;
        p.LayerNormEps = (float)request.LayerNormEps;
        p.LayerNormScalarGamma = (float)w.LayerNormScalarGamma;
        p.LayerNormScalarBeta = (float)w.LayerNormScalarBeta;
        p.Input = buffers.Input(request.Inputs.Hidden);
        p.QkvWeight = buffers.Stacked(w.QueryWeight, w.KeyWeight, w.ValueWeight, matrices: true);
        // A semantics without biases gets null bias pointers (= zero), as the upstream Souffle binding passes zeros.
        var biases = LayerSemantics.Preset(request.Semantics).UseBiases;
        nint Bias(HostTensor h) => biases ? buffers.Input(h) : 0;
        p.QkvBias = biases ? buffers.Stacked(w.QueryBias, w.KeyBias, w.ValueBias, matrices: false) : 0;
        p.AttnDenseWeight = buffers.Matrix(w.AttentionOutputWeight);
        p.AttnDenseBias = Bias(w.AttentionOutputBias);
        p.Ln1Gamma = buffers.Input(w.AttentionLayerNormGamma);
        p.Ln1Beta = buffers.Input(w.AttentionLayerNormBeta);
        p.Fc1Weight = buffers.Matrix(w.IntermediateWeight);
        p.Fc1Bias = Bias(w.IntermediateBias);
        p.Fc2Weight = buffers.Matrix(w.OutputWeight);
        p.Fc2Bias = Bias(w.OutputBias);
        p.Ln2Gamma = buffers.Input(w.OutputLayerNormGamma);
        p.Ln2Beta = buffers.Input(w.OutputLayerNormBeta);
        p.AttentionMask = request.Inputs.AttentionMask is { } mask ? buffers.Input(mask) : 0;
        foreach (var name in variant.Outputs.Where(wanted.Contains))
        {
            var type = TensorNames.IsFloat32Accumulator(name) ? ElementType.Float32 : variant.Dtype;
            var buffer = buffers.Output(TensorNames.ShapeOf(name, s), type);
            outputs[name] = buffer;
            p.Outputs[TensorNames.ProducedIndex(name)] = buffer.Pointer;
        }

        var bytes = variant.Library.WorkspaceSize(variant.Name, in p);
        if (bytes > 0)
        {
            p.Workspace = buffers.Workspace(bytes);
            p.WorkspaceSize = bytes;
        }

        return p;
    }
}
