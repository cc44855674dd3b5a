using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Benchmarking;
using Harness.Model;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The benchmark: console tables (floor, variants with ratios, peers) and the JSON document (schema 2).</summary>
public static class BenchReport
{
    public const int SchemaVersion = 2;

    public static void Write(IAnsiConsole console, BenchRun run)
    {
        console.MarkupLine($"bench on [bold]{Markup.Escape(run.Device)}[/], {run.Settings.Samples} samples per row, {run.Settings.Warmup} warm-up runs");
        console.MarkupLine($"L2: {Markup.Escape(run.L2Policy)}");
        console.MarkupLine(run.Settings.AllOutputs
            ? "outputs: every tensor each variant declares (--all-outputs)"
            : "outputs: the layer's output alone (--all-outputs asks for every declared tensor, as verify does)");
        if (run.Floor is { } f)
        {
            console.MarkupLine($"floor: fp16 GEMM {F(f.Fp16FlopsPerSecond / 1e12, "F0")} TFLOP/s ({f.GemmSize}³), copy {F(f.CopyBytesPerSecond / 1e9, "F0")} GB/s read+write ({f.CopyBytes >> 20} MiB)");
            var floors = new Table().AddColumns("shape", "GFLOP", "MB moved", "compute µs", "memory µs", "floor µs", "bound");
            foreach (var s in run.ShapeFloors)
            {
                floors.AddRow(Markup.Escape(Short(s.Shape)), F(s.Cost.Flops / 1e9, "F1"), F(s.Cost.Bytes / 1e6, "F1"), F(s.ComputeMicroseconds), F(s.MemoryMicroseconds), F(s.Microseconds), s.Bound);
            }

            console.Write(floors);
        }
        else
        {
            console.MarkupLine($"floor: {Markup.Escape(run.FloorUnavailable ?? "-")}");
        }

        // 120 columns with whole names: what repeats per row (timer, semantics) or is long (a best peer's name, why a
        // row was not timed) is said once below the table.
        var table = new Table().AddColumns("variant", "shape", "median µs", "p10–p90 µs", "single µs", "K×N", "× floor", "× best peer");
        foreach (var r in run.Variants)
        {
            if (r.Timing is not { } t)
            {
                table.AddRow(Markup.Escape(r.Variant), Markup.Escape(Short(r.Shape)), "not timed", "", "", "", "", "");
                continue;
            }

            table.AddRow(
                Markup.Escape(r.Variant),
                Markup.Escape(Short(r.Shape)),
                F(t.PerRun.Median),
                $"{F(t.PerRun.P10)}–{F(t.PerRun.P90)}",
                t.Single is { } s ? F(s.Median) : "-",
                $"{t.ParameterSets}×{t.RunsPerSample}",
                r.RatioToFloor is { } rf ? F(rf, "F2") : "-",
                r.RatioToBestPeer is { } rp ? F(rp, "F2") : "-");
        }

        console.Write(table);
        foreach (var line in BelowTable(run.Variants))
        {
            console.MarkupLine(Markup.Escape(line));
        }

        foreach (var refused in run.Refused)
        {
            console.MarkupLine($"[grey]{Markup.Escape(refused.Variant)}: {refused.Shapes.Count} grid shape(s) outside its limits, e.g. {Markup.Escape(refused.Shapes[0].Reason)}[/]");
        }

        if (run.Peers.Count > 0)
        {
            var peers = new Table().AddColumns("peer", "shape", "semantics", "median µs", "p10 µs", "p90 µs");
            foreach (var p in run.Peers)
            {
                peers.AddRow(
                    Markup.Escape(p.Peer),
                    p.Shape is null ? "-" : Markup.Escape(Short(p.Shape)),
                    p.Semantics,
                    p.Timing is { } t ? F(t.Median) : Markup.Escape($"unavailable: {p.Unavailable}"),
                    p.Timing is { } t10 ? F(t10.P10) : "",
                    p.Timing is { } t90 ? F(t90.P90) : "");
            }

            console.Write(peers);
        }

        console.MarkupLine($"per stage: {Markup.Escape(run.PerStage)}");
    }

    public static JsonObject Json(BenchRun run, string commandLine) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["date"] = run.Date.ToString("O", CultureInfo.InvariantCulture),
        ["commandLine"] = commandLine,
        ["device"] = run.Device,
        ["deviceProperties"] = run.DeviceProperties is { } d
            ? new JsonObject
            {
                ["name"] = d.Name,
                ["ordinal"] = d.Ordinal,
                ["smCount"] = d.SmCount,
                ["computeCapability"] = d.ComputeCapability,
                ["l2Bytes"] = d.L2Bytes,
                ["memoryBytes"] = d.MemoryBytes,
                ["cudaRuntime"] = d.RuntimeVersion,
                ["cudaDriver"] = d.DriverVersion,
            }
            : null,
        ["settings"] = new JsonObject
        {
            ["batches"] = new JsonArray(run.Settings.Batches.Select(b => (JsonNode?)b).ToArray()),
            ["sequences"] = new JsonArray(run.Settings.Sequences.Select(s => (JsonNode?)s).ToArray()),
            ["samples"] = run.Settings.Samples,
            ["warmup"] = run.Settings.Warmup,
            ["runsPerGraph"] = run.Settings.RunsPerGraph,
            ["l2"] = run.Settings.L2.ToString().ToLowerInvariant(),
            ["pythonPeers"] = run.Settings.PythonPeers,
            ["outputsRequested"] = run.Settings.AllOutputs ? "every declared tensor" : "output (every declared tensor for a variant that does not write it)",
        },
        ["l2Policy"] = run.L2Policy,
        ["perStage"] = run.PerStage,
        ["floor"] = run.Floor is { } f
            ? new JsonObject
            {
                ["fp16FlopsPerSecond"] = JsonOutput.Number(f.Fp16FlopsPerSecond),
                ["copyBytesPerSecond"] = JsonOutput.Number(f.CopyBytesPerSecond),
                ["gemmSize"] = f.GemmSize,
                ["copyBytes"] = f.CopyBytes,
                ["shapes"] = new JsonArray(run.ShapeFloors.Select(s => (JsonNode?)new JsonObject
                {
                    ["shape"] = Shape(s.Shape),
                    ["flops"] = JsonOutput.Number(s.Cost.Flops),
                    ["weightBytes"] = JsonOutput.Number(s.Cost.WeightBytes),
                    ["activationBytes"] = JsonOutput.Number(s.Cost.ActivationBytes),
                    ["computeMicroseconds"] = JsonOutput.Number(s.ComputeMicroseconds),
                    ["memoryMicroseconds"] = JsonOutput.Number(s.MemoryMicroseconds),
                    ["floorMicroseconds"] = JsonOutput.Number(s.Microseconds),
                    ["bound"] = s.Bound,
                }).ToArray()),
            }
            : null,
        ["floorUnavailable"] = run.FloorUnavailable,
        ["variants"] = new JsonArray(run.Variants.Select(r => (JsonNode?)new JsonObject
        {
            ["variant"] = r.Variant,
            ["device"] = r.Device,
            ["semantics"] = r.Semantics,
            ["dtype"] = r.Dtype,
            ["shape"] = Shape(r.Shape),
            ["method"] = r.Timing?.Method,
            ["perRunMicroseconds"] = Summary(r.Timing?.PerRun),
            ["singleRunMicroseconds"] = Summary(r.Timing?.Single),
            ["parameterSets"] = r.Timing?.ParameterSets,
            ["setBytes"] = r.Timing is { } t ? JsonOutput.Number(t.SetBytes) : null,
            ["runsPerSample"] = r.Timing?.RunsPerSample,
            ["graphNodes"] = r.Timing?.GraphNodes,
            ["notTimed"] = r.NotTimed,
            ["floorMicroseconds"] = r.FloorMicroseconds is { } fm ? JsonOutput.Number(fm) : null,
            ["ratioToFloor"] = r.RatioToFloor is { } rf ? JsonOutput.Number(rf) : null,
            ["bestPeer"] = r.BestPeer,
            ["ratioToBestPeer"] = r.RatioToBestPeer is { } rp ? JsonOutput.Number(rp) : null,
        }).ToArray()),
        ["refusedShapes"] = new JsonArray(run.Refused.SelectMany(v => v.Shapes.Select(s => (JsonNode?)new JsonObject
        {
            ["variant"] = v.Variant,
            ["shape"] = Shape(s.Shape),
            ["reason"] = s.Reason,
        })).ToArray()),
        ["peers"] = new JsonArray(run.Peers.Select(p => (JsonNode?)new JsonObject
        {
            ["peer"] = p.Peer,
            ["description"] = p.Description,
            ["shape"] = p.Shape is null ? null : Shape(p.Shape),
            ["semantics"] = p.Semantics,
            ["microseconds"] = Summary(p.Timing),
            ["unavailable"] = p.Unavailable,
        }).ToArray()),
    };

    private static JsonObject Shape(LayerShape s) => new()
    {
        ["batch"] = s.Batch,
        ["sequence"] = s.Sequence,
        ["heads"] = s.Heads,
        ["headSize"] = s.HeadSize,
        ["intermediate"] = s.Intermediate,
    };

    private static JsonObject? Summary(SampleSummary? s) => s is null ? null : new JsonObject
    {
        ["count"] = s.Count,
        ["median"] = JsonOutput.Number(s.Median),
        ["p10"] = JsonOutput.Number(s.P10),
        ["p90"] = JsonOutput.Number(s.P90),
        ["min"] = JsonOutput.Number(s.Min),
        ["max"] = JsonOutput.Number(s.Max),
    };

    /// <summary>What the variant table leaves out to fit: timers, semantics, best peers, and why rows were not timed.</summary>
    private static IEnumerable<string> BelowTable(IReadOnlyList<VariantRow> rows)
    {
        string ByValue(IEnumerable<(string Value, string Variant)> pairs) => string.Join("; ", pairs
            .GroupBy(p => p.Value)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(p => p.Variant).Distinct())})"));

        var timed = rows.Where(r => r.Timing is not null).ToList();
        if (timed.Count > 0)
        {
            yield return $"timer: {ByValue(timed.Select(r => (r.Timing!.Method, r.Variant)))}";
        }

        yield return $"semantics: {ByValue(rows.Select(r => (r.Semantics, r.Variant)))}";
        foreach (var shape in timed.Where(r => r.BestPeer is not null).GroupBy(r => Short(r.Shape)))
        {
            yield return $"best peer at {shape.Key}: {string.Join(", ", shape.Select(r => r.BestPeer!).Distinct())}";
        }

        foreach (var r in rows.Where(r => r.Timing is null))
        {
            yield return $"not timed: {r.Variant} at {Short(r.Shape)}: {r.NotTimed ?? "-"}";
        }
    }

    private static string Short(LayerShape s) => $"B={s.Batch} S={s.Sequence}";

    private static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
}
