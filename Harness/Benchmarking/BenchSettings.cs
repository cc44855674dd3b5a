using Harness.Kernels;
using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>How L2 is kept from serving a variant's inputs and weights between runs.</summary>
public enum L2Policy
{
    /// <summary>Rotate across K parameter sets whose inputs and weights together exceed twice the L2.</summary>
    Rotate,

    /// <summary>One parameter set; a buffer twice the L2 is overwritten before every sample.</summary>
    Flush,
}

/// <summary>What `harness bench` measures and how.</summary>
/// <param name="Batches">B values of the shape grid.</param>
/// <param name="Sequences">S values of the shape grid (crossed with <paramref name="Batches"/>).</param>
/// <param name="Samples">Timing samples per row (at least <see cref="MinimumSamples"/>).</param>
/// <param name="Warmup">Untimed runs first.</param>
/// <param name="RunsPerGraph">Back-to-back runs in one CUDA graph (rounded up to a multiple of the parameter sets).</param>
/// <param name="L2">The L2 policy.</param>
/// <param name="PythonPeers">Whether to run scripts/bench_peers.py.</param>
/// <param name="Python">The Python interpreter.</param>
/// <param name="PeersScript">Path of bench_peers.py (null: found next to the program or in the repository).</param>
/// <param name="AllOutputs">
/// Ask each variant for every tensor it declares, as verification does, instead of the layer's output alone (what a
/// deployed layer produces; a variant that does not write `output` is always asked for everything it declares).
/// </param>
public sealed record BenchSettings(
    IReadOnlyList<int> Batches,
    IReadOnlyList<int> Sequences,
    int Samples = 20,
    int Warmup = 5,
    int RunsPerGraph = 20,
    L2Policy L2 = L2Policy.Rotate,
    bool PythonPeers = true,
    string Python = "python3",
    string? PeersScript = null,
    bool AllOutputs = false)
{
    public const int MinimumSamples = 10;

    /// <summary>
    /// When set, every (variant, shape) is first run once in a worker process: one that crashes, traps, aborts or
    /// hangs there gets a failed row and is not timed in this process (which a GPU fault would poison for every later row).
    /// </summary>
    public Harness.Isolation.WorkerOptions? Isolation { get; init; }

    public static IReadOnlyList<int> DefaultBatches { get; } = [1, 8];

    public static IReadOnlyList<int> DefaultSequences { get; } = [128, 384, 512];

    /// <summary>K, the parameter sets rotated through: 1 for a flush, else the fewest whose bytes together exceed twice the L2.</summary>
    public int ParameterSets(double setBytes, long l2Bytes) =>
        L2 == L2Policy.Flush ? 1 : (int)Math.Floor(2.0 * l2Bytes / setBytes) + 1;

    /// <summary>The outputs a timed run of <paramref name="variant"/> asks for (see <see cref="AllOutputs"/>).</summary>
    public IReadOnlyCollection<string> Wanted(KernelVariant variant) =>
        AllOutputs || !variant.Outputs.Contains(TensorNames.Output) ? variant.Outputs : [TensorNames.Output];

    /// <summary>Throws one clear line for a setting outside its range.</summary>
    public void Validate()
    {
        if (Samples < MinimumSamples)
        {
            throw new ArgumentException($"--samples must be at least {MinimumSamples}, got {Samples}");
        }

        if (Warmup < 0 || RunsPerGraph < 1)
        {
            throw new ArgumentException($"--warmup must not be negative and --runs-per-graph must be at least 1, got {Warmup} and {RunsPerGraph}");
        }

        if (Batches.Count == 0 || Sequences.Count == 0 || Batches.Concat(Sequences).Any(v => v <= 0))
        {
            throw new ArgumentException("--batch and --sequence must list positive values");
        }
    }
}

/// <summary>One shape's data for the bench: the scenario materialised at that shape.</summary>
public sealed record BenchCase(LayerShape Shape, LayerInputs Inputs, LayerWeights Weights, string Semantics, int AccumulationGroup);
