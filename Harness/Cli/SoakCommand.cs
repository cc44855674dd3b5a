using System.CommandLine;
using Harness.Kernels;
using Harness.Reporting;
using Harness.Scenarios;
using Harness.Soak;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness soak --variant X [--seeds 50] [--shapes a,b] [--shard i/n] [--json FILE]`: fresh random scenarios (input and
/// weights reseeded) over the variant's shapes and semantics; the budget used per tensor (median, p99, max) and the
/// false alarms. Exit 0 with no false alarm, 1 otherwise.
/// </summary>
public static class SoakCommand
{
    private static readonly Option<string?> VariantOption = new("--variant") { Description = "The variant to soak (judged under each semantics it computes)." };

    private static readonly Option<int> SeedsOption = new("--seeds")
    {
        Description = "Fresh seeds per shape and semantics.",
        DefaultValueFactory = _ => 50,
    };

    private static readonly Option<string?> ShapesOption = new("--shapes")
    {
        Description = "Comma-separated scenarios whose shapes (and padding) are reseeded (default: every scenario with random input and synthetic weights the variant's limits admit).",
    };

    private static readonly Option<string?> ShardOption = new("--shard") { Description = "Run the i-th of n interleaved slices of the cases (i/n)." };

    public static Command Create() => CommandFactory.Create(
        "soak",
        "Many fresh seeds over a variant's shapes: budget used per tensor (median, p99, max) and false alarms.",
        [VariantOption, SeedsOption, ShapesOption, ShardOption, ScenarioOptions.Json, IsolationOptions.WorkerTimeout, CommonOptions.VariantLib, CommonOptions.NativeLib, CommonOptions.Force],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        var shard = parse.GetValue(ShardOption) is { } spec ? ShardSpec.Parse(spec) : ShardSpec.Whole;
        var seeds = parse.GetValue(SeedsOption);
        if (seeds < 1)
        {
            throw new ArgumentException($"--seeds must be at least 1, got {seeds}");
        }

        var json = parse.GetValue(ScenarioOptions.Json);
        if (json is not null)
        {
            OutputTargets.CheckFile("--json", json, parse.GetValue(CommonOptions.Force));
        }

        var name = parse.GetValue(VariantOption) ?? throw new ArgumentException("soak needs --variant NAME");
        var isolation = IsolationOptions.Worker(parse);
        CommonOptions.ApplyNativeLib(parse);
        var variant = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib)).Find(name);
        if (variant.Device == KernelDevice.Cuda && !TorchSharp.torch.cuda.is_available())
        {
            throw new DeviceUnavailableException($"variant '{variant.Name}' runs on CUDA, and no CUDA device is available to TorchSharp here");
        }

        var shapes = Shapes(parse.GetValue(ShapesOption), variant);
        foreach (var shape in shapes)
        {
            MemoryCheck.Ensure("soak", shape.Shape);
        }

        var result = SoakRunner.Run(variant, shapes, seeds, shard, isolation, progress);
        SoakReport.Write(AnsiConsole.Console, result);
        if (json is not null)
        {
            JsonOutput.Write(json, SoakReport.Json(result, "harness " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
            progress.Report($"wrote {json}");
        }

        return result.FalseAlarms.Count == 0 ? 0 : VerifyCommand.Failed;
    }

    /// <summary>The named scenarios (each reseedable and admitted by the variant's limits), or by default every such one in the catalog.</summary>
    private static IReadOnlyList<Scenario> Shapes(string? list, KernelVariant variant)
    {
        if (list is null)
        {
            var admitted = ScenarioCatalog.Names().Select(n => ScenarioCatalog.Resolve(n)).Where(s => SoakCase.Reseedable(s) && variant.CheckShape(s.Shape) is null).ToList();
            return admitted.Count > 0 ? admitted : throw new ArgumentException($"no scenario with random input and synthetic weights fits variant '{variant.Name}' ({variant.Limits})");
        }

        var shapes = new List<Scenario>();
        foreach (var n in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var scenario = ScenarioCatalog.Resolve(n);
            if (!SoakCase.Reseedable(scenario))
            {
                throw new ArgumentException($"--shapes: scenario '{n}' cannot be reseeded (a soak needs random input and synthetic weights without overrides)");
            }

            if (variant.CheckShape(scenario.Shape) is { } refused)
            {
                throw new ArgumentException($"--shapes: scenario '{n}': {refused}");
            }

            shapes.Add(scenario);
        }

        return shapes.Count > 0 ? shapes : throw new ArgumentException("--shapes names no scenario");
    }
}
