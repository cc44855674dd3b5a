using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>How one row was timed.</summary>
/// <param name="Method">"cuda-graph" (CUDA events around graph replays) or "host-stopwatch" (CPU variants).</param>
/// <param name="PerRun">Per-run microseconds: graph replay time / runs per graph, or one host-timed run.</param>
/// <param name="Single">Single async runs between their own CUDA events (CUDA only).</param>
/// <param name="ParameterSets">K, the parameter sets rotated through.</param>
/// <param name="SetBytes">Inputs and weights of one set, in bytes.</param>
/// <param name="RunsPerSample">Runs in one sample (N for a graph, 1 on the host).</param>
/// <param name="GraphNodes">Nodes of the captured graph (0 on the host).</param>
public sealed record Measurement(string Method, SampleSummary PerRun, SampleSummary? Single, int ParameterSets, double SetBytes, int RunsPerSample, long GraphNodes);

/// <summary>One variant at one shape: its timing (or why none), the floor and the ratios.</summary>
public sealed record VariantRow(
    string Variant,
    string Device,
    string Semantics,
    string Dtype,
    LayerShape Shape,
    Measurement? Timing,
    string? NotTimed,
    double? FloorMicroseconds,
    string? BestPeer,
    double? BestPeerMicroseconds)
{
    public double? RatioToFloor => Timing is { } t && FloorMicroseconds is { } f ? t.PerRun.Median / f : null;

    public double? RatioToBestPeer => Timing is { } t && BestPeerMicroseconds is { } p ? t.PerRun.Median / p : null;
}

/// <summary>A variant's shapes of the grid outside its limits.</summary>
public sealed record RefusedShapes(string Variant, IReadOnlyList<(LayerShape Shape, string Reason)> Shapes);

/// <summary>A peer implementation timed at one shape, or why it was not.</summary>
/// <param name="Peer">e.g. "torchsharp-bertlayer-sdpa eager", "hf-bertlayer-sdpa graph".</param>
/// <param name="Description">What exactly ran.</param>
public sealed record PeerResult(string Peer, string Description, LayerShape? Shape, string Semantics, SampleSummary? Timing, string? Unavailable);

/// <summary>Everything one `harness bench` run measured; Reporting renders it.</summary>
public sealed record BenchRun(
    DateTimeOffset Date,
    string Device,
    DeviceProperties? DeviceProperties,
    DeviceFloor? Floor,
    string? FloorUnavailable,
    IReadOnlyList<ShapeFloor> ShapeFloors,
    string L2Policy,
    string PerStage,
    IReadOnlyList<VariantRow> Variants,
    IReadOnlyList<RefusedShapes> Refused,
    IReadOnlyList<PeerResult> Peers,
    BenchSettings Settings);
