using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>
/// scripts/bench_peers.py as a subprocess: the Hugging Face BertLayer (SDPA, fp16) eager and in a CUDA graph, per
/// shape. When python3, torch, transformers or CUDA is missing, the rows say which.
/// </summary>
public static class PythonPeers
{
    public const string ScriptName = "bench_peers.py";
    public const string ScriptEnvironmentVariable = "HARNESS_PEERS_SCRIPT";
    private const string Semantics = "huggingface";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static IReadOnlyList<PeerResult> Run(IReadOnlyList<LayerShape> shapes, long l2Bytes, BenchSettings settings)
    {
        if (shapes.Count == 0)
        {
            return [];
        }

        var script = settings.PeersScript ?? FindScript();
        if (script is null || !File.Exists(script))
        {
            return [Unavailable($"{ScriptName} not found ({script ?? "looked next to the program and in the repository's scripts/"})")];
        }

        var t = shapes[0];
        var info = new ProcessStartInfo(settings.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--batch" }.Concat(Distinct(shapes, s => s.Batch))
                     .Append("--sequence").Concat(Distinct(shapes, s => s.Sequence))
                     .Concat(["--heads", I(t.Heads), "--head-size", I(t.HeadSize), "--intermediate", I(t.Intermediate),
                         "--samples", I(settings.Samples), "--runs", I(settings.RunsPerGraph), "--warmup", I(settings.Warmup), "--l2-bytes", I(l2Bytes)]))
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            return [Unavailable($"{settings.Python} cannot be started ({e.Message})")];
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return [Unavailable($"{ScriptName} did not finish within {Timeout.TotalMinutes} minutes")];
            }

            if (process.ExitCode != 0)
            {
                var last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
                return [Unavailable($"{ScriptName} exited with {process.ExitCode}: {last.Trim()}")];
            }

            return Parse(stdout.Result, t);
        }
    }

    /// <summary>
    /// Reads the script's JSON: one result per shape and mode, or one row saying why there are none. H, D and F of
    /// the shapes come from <paramref name="template"/> (the script was run with them).
    /// </summary>
    public static IReadOnlyList<PeerResult> Parse(string json, LayerShape template)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [Unavailable($"{ScriptName} printed no JSON ({e.Message})")];
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.TryGetProperty("unavailable", out var why))
            {
                return [Unavailable(why.GetString() ?? "unavailable")];
            }

            var versions = $"torch {Text(root, "torch")}, transformers {Text(root, "transformers")}, attention {Text(root, "attention")}, {Text(root, "dtype")}";
            var rows = new List<PeerResult>();
            foreach (var r in root.GetProperty("results").EnumerateArray())
            {
                var shape = template with { Batch = r.GetProperty("batch").GetInt32(), Sequence = r.GetProperty("sequence").GetInt32() };
                var mode = r.GetProperty("mode").GetString() ?? "?";
                var name = $"hf-bertlayer-sdpa {mode}";
                if (r.TryGetProperty("error", out var error))
                {
                    rows.Add(new PeerResult(name, versions, shape, Semantics, null, error.GetString()));
                    continue;
                }

                var samples = r.GetProperty("samplesUs").EnumerateArray().Select(e => e.GetDouble()).ToList();
                var description = $"Hugging Face BertLayer ({versions}), {mode}, {I(r.GetProperty("parameterSets").GetInt32())} sets rotated, CUDA events around {I(r.GetProperty("runsPerSample").GetInt32())} runs";
                rows.Add(new PeerResult(name, description, shape, Semantics, SampleSummary.Of(samples), null));
            }

            return rows;
        }
    }

    private static PeerResult Unavailable(string why) => new("hf-bertlayer-sdpa", "scripts/bench_peers.py", null, Semantics, null, why);

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ToString() : "?";

    private static IEnumerable<string> Distinct(IEnumerable<LayerShape> shapes, Func<LayerShape, int> dim) => shapes.Select(dim).Distinct().Select(v => I(v));

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string? FindScript()
    {
        var env = Environment.GetEnvironmentVariable(ScriptEnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "scripts", ScriptName) };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "scripts", ScriptName));
        }

        candidates.Add(Path.Combine(Environment.CurrentDirectory, "scripts", ScriptName));
        return candidates.FirstOrDefault(File.Exists);
    }
}
