using System.CommandLine;
using System.Globalization;
using Harness.Benchmarking;
using Harness.Kernels;
using Harness.Model;
using Harness.Reporting;
using Harness.Scenarios;
using Spectre.Console;
using TorchSharp;

namespace Harness.Cli;

/// <summary>
/// `harness bench`: times variants over a B × S grid within each variant's limits (CUDA: CUDA events around graphs of
/// N async runs and around single runs, L2 defeated by rotation or a flush; CPU: host clock), with the device floor,
/// the TorchSharp and PyTorch peers and the ratios.
/// </summary>
public static class BenchCommand
{
    private static readonly Option<string[]> VariantsOption = new("--variant")
    {
        Description = "Variants to time (repeatable; default: every non-test variant on the chosen device). Test-only variants (e.g. cuda-empty) can be named.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string> BenchDeviceOption = new("--device")
    {
        Description = "Which variants to time by default: cpu or cuda.",
        DefaultValueFactory = _ => "cpu",
    };

    private static readonly Option<string> BenchScenario = new("--scenario")
    {
        Description = "The scenario whose data is timed (materialised at every grid shape).",
        DefaultValueFactory = _ => "random",
    };

    private static readonly Option<string[]> BatchesOption = new("--batch")
    {
        Description = "Batch sizes B of the grid (repeatable or comma-separated; default 1,8).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string[]> SequencesOption = new("--sequence")
    {
        Description = "Sequence lengths S of the grid (repeatable or comma-separated; default 128,384,512).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<int> SamplesOption = new("--samples") { Description = $"Timing samples per row (at least {BenchSettings.MinimumSamples}).", DefaultValueFactory = _ => 20 };

    private static readonly Option<int> WarmupOption = new("--warmup") { Description = "Untimed runs first.", DefaultValueFactory = _ => 5 };

    private static readonly Option<int> RunsPerGraphOption = new("--runs-per-graph") { Description = "Back-to-back runs captured in one CUDA graph (rounded up to a multiple of the parameter sets).", DefaultValueFactory = _ => 20 };

    private static readonly Option<string> L2Option = new("--l2")
    {
        Description = "rotate (K parameter sets larger than 2 × L2 together) or flush (overwrite a 2 × L2 buffer before every sample).",
        DefaultValueFactory = _ => "rotate",
    };

    private static readonly Option<bool> NoPythonPeersOption = new("--no-python-peers") { Description = "Do not run scripts/bench_peers.py." };

    private static readonly Option<bool> AllOutputsOption = new("--all-outputs")
    {
        Description = "Ask every variant for each tensor it declares, as verify does (by default a run asks for the layer's output alone).",
    };

    private static readonly Option<string> PythonOption = new("--python") { Description = "Python interpreter for the PyTorch peers.", DefaultValueFactory = _ => "python3" };

    public static Command Create() => CommandFactory.Create(
        "bench",
        "Time kernel variants over a B × S grid (CUDA graphs and events; host clock for CPU variants) against the device floor and peers.",
        [VariantsOption, BenchDeviceOption, BenchScenario, BatchesOption, SequencesOption, SamplesOption, WarmupOption, RunsPerGraphOption, L2Option,
            NoPythonPeersOption, PythonOption, AllOutputsOption, IsolationOptions.WorkerTimeout, CommonOptions.VariantLib, CommonOptions.NativeLib, ScenarioOptions.Checkpoint, ScenarioOptions.Json, CommonOptions.Force],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        CommonOptions.ApplyNativeLib(parse);
        var device = parse.GetValue(BenchDeviceOption) switch
        {
            "cpu" => KernelDevice.Cpu,
            "cuda" => KernelDevice.Cuda,
            var d => throw new ArgumentException($"--device must be cpu or cuda, got '{d}'{Suggestions.DidYouMean(d ?? string.Empty, ["cpu", "cuda"])}"),
        };
        if (device == KernelDevice.Cuda && !torch.cuda.is_available())
        {
            throw new DeviceUnavailableException("no CUDA device: bench --device cuda needs a GPU that TorchSharp can see");
        }

        var settings = new BenchSettings(
            Ints(parse.GetValue(BatchesOption), "--batch") ?? BenchSettings.DefaultBatches,
            Ints(parse.GetValue(SequencesOption), "--sequence") ?? BenchSettings.DefaultSequences,
            parse.GetValue(SamplesOption),
            parse.GetValue(WarmupOption),
            parse.GetValue(RunsPerGraphOption),
            parse.GetValue(L2Option) switch
            {
                "rotate" => L2Policy.Rotate,
                "flush" => L2Policy.Flush,
                var l => throw new ArgumentException($"--l2 must be rotate or flush, got '{l}'"),
            },
            !parse.GetValue(NoPythonPeersOption),
            parse.GetValue(PythonOption)!,
            AllOutputs: parse.GetValue(AllOutputsOption))
        {
            Isolation = IsolationOptions.Worker(parse),
        };
        settings.Validate();
        if (parse.GetValue(ScenarioOptions.Json) is { } target)
        {
            OutputTargets.CheckFile("--json", target, parse.GetValue(CommonOptions.Force));
        }

        var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
        var named = parse.GetValue(VariantsOption) ?? [];
        var variants = named.Length > 0
            ? named.Select(catalog.Find).ToList()
            : catalog.Default.Where(v => v.Device == device && !v.Name.Contains("mutant", StringComparison.Ordinal)).ToList();
        var scenario = ScenarioCatalog.Resolve(parse.GetValue(BenchScenario)!);
        var materialize = MaterializeOptions.FromEnvironment(parse.GetValue(ScenarioOptions.Checkpoint));
        BenchCase Case(LayerShape shape)
        {
            progress.Report($"scenario {scenario.Name} at {shape}");
            var instance = (scenario with { Shape = shape }).Materialize(materialize);
            return new BenchCase(shape, instance.Inputs, instance.Weights, instance.Semantics.Name, instance.AccumulationGroup ?? 0);
        }

        var run = Benchmark.Run(variants, scenario.Shape, Case, settings, progress);
        BenchReport.Write(AnsiConsole.Console, run);
        if (parse.GetValue(ScenarioOptions.Json) is { } json)
        {
            JsonOutput.Write(json, BenchReport.Json(run, "harness " + string.Join(' ', parse.Tokens.Select(t => t.Value))));
        }

        return 0;
    }

    /// <summary>Repeatable, comma-separated integers; null when the option was not given.</summary>
    private static List<int>? Ints(string[]? values, string option)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{option} takes positive integers, got '{v}'"))
            .ToList();
    }
}
