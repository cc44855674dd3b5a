using System.CommandLine;
using Harness.Comparison;
using Harness.Kernels;
using Harness.Model;
using Harness.Native;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness bench`: times variants on a scenario's shape (warm-up, then N timed invocations of bk_run alone; the
/// buffers are laid out once and re-poisoned before each call outside the timed region).
/// </summary>
public static class BenchCommand
{
    private static readonly Option<string[]> VariantsOption = new("--variant")
    {
        Description = "Variants to time (repeatable; default: every variant on the chosen device).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string> BenchDeviceOption = new("--device")
    {
        Description = "Which variants to time by default: cpu or cuda.",
        DefaultValueFactory = _ => "cpu",
    };

    private static readonly Option<int> IterationsOption = new("--iterations") { Description = "Timed invocations.", DefaultValueFactory = _ => 20 };

    private static readonly Option<int> WarmupOption = new("--warmup") { Description = "Untimed invocations first.", DefaultValueFactory = _ => 3 };

    public static Command Create() => CommandFactory.Create(
        "bench",
        "Time kernel variants on a scenario's shape (median, min, max per layer; TFLOP/s).",
        [VariantsOption, BenchDeviceOption, IterationsOption, WarmupOption, CommonOptions.VariantLib, CommonOptions.NativeLib, ScenarioOptions.Scenario, ScenarioOptions.Batch, ScenarioOptions.Sequence, ScenarioOptions.Checkpoint, ScenarioOptions.Json],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        CommonOptions.ApplyNativeLib(parse);
        var iterations = parse.GetValue(IterationsOption);
        var warmup = parse.GetValue(WarmupOption);
        if (iterations < 1 || warmup < 0)
        {
            throw new ArgumentException("--iterations must be at least 1 and --warmup not negative");
        }

        var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
        var device = parse.GetValue(BenchDeviceOption) switch
        {
            "cpu" => KernelDevice.Cpu,
            "cuda" => KernelDevice.Cuda,
            var d => throw new ArgumentException($"--device must be cpu or cuda, got '{d}'"),
        };
        var named = parse.GetValue(VariantsOption) ?? [];
        var variants = named.Length > 0
            ? named.Select(catalog.Find).ToList()
            : catalog.Variants.Where(v => v.Device == device && !v.Name.Contains("mutant", StringComparison.Ordinal)).ToList();
        var scenario = ScenarioOptions.Load(parse, progress);
        var results = new List<BenchResult>();
        foreach (var variant in variants)
        {
            var semantics = variant.SemanticsFor(scenario.Semantics.Name);
            var request = new KernelRequest(scenario.Shape, scenario.Inputs.RoundedTo(variant.Dtype), scenario.Weights.RoundedTo(variant.Dtype),
                semantics, scenario.AccumulationGroup ?? 0);
            progress.Report($"timing {variant.Name} ({semantics}), {warmup} warm-up + {iterations} timed");
            try
            {
                using var call = new PreparedKernelCall(variant, request);
                var times = Enumerable.Range(0, warmup + iterations).Select(_ => call.Invoke()).Skip(warmup).ToList();
                results.Add(BenchResult.Of(variant.Name, semantics, scenario.Shape, times));
            }
            catch (Exception e) when (e is UnsupportedShapeException or DeviceUnavailableException)
            {
                results.Add(BenchResult.Skipped(variant.Name, semantics, scenario.Shape, e.Message));
            }
        }

        BenchConsole.Write(AnsiConsole.Console, scenario.Name, results);
        if (parse.GetValue(ScenarioOptions.Json) is { } json)
        {
            JsonOutput.Write(json, BenchConsole.Json(scenario.Name, results));
        }

        return 0;
    }
}
