using System.Globalization;
using System.Runtime.InteropServices;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Model;
using Harness.Native;
using TorchSharp;

namespace Harness.Benchmarking;

/// <summary>
/// `harness bench` as data: every variant at every grid shape its limits admit, timed (CUDA: graph and single-run
/// events through libbk_timing; CPU: host clock), the device floor, the peers, and each variant's ratios to the
/// floor and to the fastest peer at its shape. Prints nothing.
/// </summary>
public static class Benchmark
{
    public const string PerStage = "not measured: every row times the whole layer (no variant can stop after a stage through the ABI)";

    public static BenchRun Run(IReadOnlyList<KernelVariant> variants, LayerShape template, Func<LayerShape, BenchCase> cases, BenchSettings settings, IProgress<string> progress)
    {
        settings.Validate();
        var grid = BenchShapes.Grid(template, settings.Batches, settings.Sequences);
        var onGpu = variants.Any(v => v.Device == KernelDevice.Cuda);
        if (onGpu && !torch.cuda.is_available())
        {
            throw new DeviceUnavailableException("no CUDA device: TorchSharp sees none, so CUDA variants cannot be benched here");
        }

        var gpu = onGpu ? Gpu.Open(progress) : null;
        var memo = new Dictionary<LayerShape, BenchCase>();
        BenchCase Case(LayerShape s) => memo.TryGetValue(s, out var c) ? c : memo[s] = cases(s);

        var rows = new List<VariantRow>();
        var refused = new List<RefusedShapes>();
        foreach (var variant in variants)
        {
            var (admitted, outside) = BenchShapes.Within(grid, variant.CheckShape);
            if (outside.Count > 0)
            {
                refused.Add(new RefusedShapes(variant.Name, outside));
            }

            foreach (var shape in admitted)
            {
                rows.Add(TimeRow(variant, Case(shape), gpu, settings, progress));
            }
        }

        var peers = gpu is null ? [] : Peers(rows, Case, gpu.L2Bytes, settings, progress);
        var floors = gpu?.Floor is { } floor
            ? rows.Where(r => r.Device == "cuda").Select(r => floor.For(r.Shape, ElementBytes(r.Dtype))).DistinctBy(f => f.Shape).ToList()
            : [];
        rows = rows.Select(r => WithRatios(r, gpu?.Floor, peers)).ToList();
        var l2 = gpu is null
            ? "none: host-timed CPU variants only"
            : settings.L2 == L2Policy.Flush
                ? $"flush: a {Mb(2 * gpu.L2Bytes)} MB buffer overwritten before every sample (one parameter set; L2 {Mb(gpu.L2Bytes)} MB)"
                : $"rotation across K sets of inputs+weights per shape with K × set > 2 × L2 (L2 {Mb(gpu.L2Bytes)} MB; K and the set size per row)";
        return new BenchRun(
            DateTimeOffset.Now,
            gpu?.Properties?.Name ?? (onGpu ? "cuda (timer unavailable)" : "cpu"),
            gpu?.Properties,
            gpu?.Floor,
            gpu is null ? "not measured: no CUDA variant in this run" : gpu.FloorUnavailable,
            floors,
            l2,
            PerStage,
            rows,
            refused,
            peers,
            settings);
    }

    private static VariantRow TimeRow(KernelVariant variant, BenchCase c, Gpu? gpu, BenchSettings settings, IProgress<string> progress)
    {
        var semantics = variant.SemanticsFor(c.Semantics);
        var row = new VariantRow(variant.Name, variant.Device.ToString().ToLowerInvariant(), semantics, variant.Dtype.ToString().ToLowerInvariant(), c.Shape, null, null, null, null, null);
        var request = new KernelRequest(c.Shape, c.Inputs.RoundedTo(variant.Dtype), c.Weights.RoundedTo(variant.Dtype), semantics, c.AccumulationGroup);
        progress.Report($"timing {variant.Name} ({semantics}) at {c.Shape}");
        if (settings.Isolation is { } isolation && IsolatedKernelRunner.Run(variant, request, 1, isolation, returnOutputs: false).Fault is { } fault)
        {
            return row with { NotTimed = $"failed in its worker before timing: {fault.Kind}{(fault.SignalName is { } signal ? $" {signal}" : string.Empty)} {fault.Detail}".TrimEnd() };
        }

        try
        {
            if (variant.Device == KernelDevice.Cpu)
            {
                return row with { Timing = VariantTimer.TimeCpu(variant, request, settings) };
            }

            if (gpu!.Timer is null)
            {
                return row with { NotTimed = gpu.TimerUnavailable };
            }

            if (!variant.SupportsAsync)
            {
                return row with { NotTimed = $"not timed: '{variant.Name}' cannot run asynchronously (ABI {variant.Library.AbiVersion}, flags {variant.Flags}), so it cannot be captured in a CUDA graph" };
            }

            return row with { Timing = VariantTimer.TimeCuda(gpu.Timer, variant, request, gpu.L2Bytes, settings) };
        }
        catch (Exception e) when (e is TimingException or KernelLibraryException)
        {
            return row with { NotTimed = $"failed: {e.Message}" };
        }
    }

    private static List<PeerResult> Peers(List<VariantRow> rows, Func<LayerShape, BenchCase> cases, long l2Bytes, BenchSettings settings, IProgress<string> progress)
    {
        var gpuRows = rows.Where(r => r.Device == "cuda").ToList();
        var peers = new List<PeerResult>();
        foreach (var shape in gpuRows.Select(r => r.Shape).Distinct())
        {
            progress.Report($"timing the TorchSharp BertLayer (SDPA) at {shape}");
            peers.Add(TorchSharpPeer.Time(cases(shape), l2Bytes, settings));
        }

        if (settings.PythonPeers)
        {
            progress.Report("timing the PyTorch peers (scripts/bench_peers.py)");
            var shapes = gpuRows.Select(r => r.Shape).Distinct().ToList();
            // The script sweeps the lists' cross product; only the shapes some variant ran are kept.
            peers.AddRange(PythonPeers.Run(shapes, l2Bytes, settings).Where(p => p.Shape is null || shapes.Contains(p.Shape)));
        }
        else
        {
            peers.Add(new PeerResult("hf-bertlayer-sdpa", "scripts/bench_peers.py", null, "huggingface", null, "not run: --no-python-peers"));
        }

        return peers;
    }

    private static VariantRow WithRatios(VariantRow row, DeviceFloor? floor, IReadOnlyList<PeerResult> peers)
    {
        if (row.Device != "cuda")
        {
            return row;
        }

        var best = peers.Where(p => p.Shape == row.Shape && p.Timing is not null).MinBy(p => p.Timing!.Median);
        return row with
        {
            FloorMicroseconds = floor?.For(row.Shape, ElementBytes(row.Dtype)).Microseconds,
            BestPeer = best?.Peer,
            BestPeerMicroseconds = best?.Timing!.Median,
        };
    }

    private static int ElementBytes(string dtype) => dtype == "float16" ? 2 : 4;

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>The CUDA side of a run: the timer and the device (or why not), and the floor (or why not).</summary>
    private sealed record Gpu(TimingLibrary? Timer, string? TimerUnavailable, DeviceProperties? Properties, DeviceFloor? Floor, string? FloorUnavailable)
    {
        /// <summary>L2 of the device; 50 MB (H100) when the timer cannot say.</summary>
        public long L2Bytes => Properties?.L2Bytes ?? (50L << 20);

        public static Gpu Open(IProgress<string> progress)
        {
            TimingLibrary? timer = null;
            DeviceProperties? properties = null;
            string? timerUnavailable = null;
            try
            {
                timer = TimingLibrary.Load();
                properties = timer.Device();
            }
            catch (TimingException e)
            {
                timer = null;
                timerUnavailable = $"not timed: {e.Message}";
            }

            progress.Report("measuring the floor (fp16 GEMM rate, device copy bandwidth)");
            try
            {
                return new Gpu(timer, timerUnavailable, properties, FloorProbe.Measure(), null);
            }
            catch (Exception e) when (e is ExternalException or InvalidOperationException)
            {
                return new Gpu(timer, timerUnavailable, properties, null, $"not measured: {e.Message}");
            }
        }
    }
}
