using System.CommandLine;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Model;
using Harness.Reporting;
using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness sanitize --variant X [--tool memcheck,racecheck,...]`: compute-sanitizer's tools over a worker running one
/// small case of a CUDA variant; clean or the first findings per tool. Exit 0 when every tool is clean, 1 otherwise.
/// </summary>
public static class SanitizeCommand
{
    private static readonly Option<string?> VariantOption = new("--variant") { Description = "The CUDA variant to run under compute-sanitizer." };

    private static readonly Option<string> ToolOption = new("--tool")
    {
        Description = "Comma-separated compute-sanitizer tools: memcheck, racecheck, initcheck, synccheck.",
        DefaultValueFactory = _ => string.Join(',', SanitizerTool.All),
    };

    private static readonly Option<string?> SanitizeScenario = new("--scenario")
    {
        Description = "The case the worker runs (default: the smallest shipped scenario the variant's limits admit; every tool slows kernels a hundredfold or more).",
    };

    public static Command Create() => CommandFactory.Create(
        "sanitize",
        "Run compute-sanitizer (memcheck, racecheck, initcheck, synccheck) over a worker running one small case of a CUDA variant.",
        [VariantOption, ToolOption, SanitizeScenario, ScenarioOptions.Batch, ScenarioOptions.Sequence, IsolationOptions.WorkerTimeout, CommonOptions.VariantLib, CommonOptions.NativeLib],
        Run);

    /// <summary>The tools a --tool list names, each known (checked before anything else).</summary>
    public static IReadOnlyList<string> Tools(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SanitizerTool.Parse).Distinct().ToList() is { Count: > 0 } tools
            ? tools
            : throw new ArgumentException("--tool names no tool");

    /// <summary>The shipped scenario with the fewest layer elements (B·S·M) that the variant's registry limits admit.</summary>
    private static string SmallestAdmitted(KernelVariant variant) =>
        ScenarioCatalog.Names().Select(n => ScenarioCatalog.Resolve(n))
            .Where(s => variant.CheckShape(s.Shape) is null)
            .OrderBy(s => (long)s.Shape.Batch * s.Shape.Sequence * s.Shape.Model).ThenBy(s => s.Name, StringComparer.Ordinal)
            .FirstOrDefault()?.Name
        ?? throw new ArgumentException($"no shipped scenario fits variant '{variant.Name}' ({variant.Limits}); name one with --scenario");

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        var tools = Tools(parse.GetValue(ToolOption)!);
        var name = parse.GetValue(VariantOption) ?? throw new ArgumentException("sanitize needs --variant NAME (a CUDA variant)");
        var isolation = IsolationOptions.Worker(parse);
        CommonOptions.ApplyNativeLib(parse);
        var variant = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib)).Find(name);
        if (variant.Device != KernelDevice.Cuda)
        {
            throw new ArgumentException($"variant '{variant.Name}' runs on the CPU; compute-sanitizer checks CUDA kernels only");
        }

        var sanitizer = SanitizerLocator.Locate();
        if (!TorchSharp.torch.cuda.is_available())
        {
            throw new DeviceUnavailableException($"variant '{variant.Name}' runs on CUDA, and no CUDA device is available to TorchSharp here");
        }

        var resolved = ScenarioOptions.Resolve(parse, "sanitize", parse.GetValue(SanitizeScenario) ?? SmallestAdmitted(variant));
        if (variant.CheckShape(resolved.Shape) is { } refused)
        {
            throw new ArgumentException(refused);
        }

        var scenario = ScenarioOptions.Materialize(parse, resolved, progress);
        var semantics = variant.SemanticsFor(scenario.Semantics.Name);
        var request = new KernelRequest(scenario.Shape, scenario.Inputs.RoundedTo(variant.Dtype), scenario.Weights.RoundedTo(variant.Dtype), semantics, scenario.AccumulationGroup ?? 0);
        var runs = new List<SanitizedRun>();
        foreach (var tool in tools)
        {
            progress.Report($"{tool} over {variant.Name} on {scenario.Name}");
            runs.Add(SanitizerRunner.Run(sanitizer, tool, variant, request, isolation));
        }

        SanitizerConsole.Write(AnsiConsole.Console, variant.Name, scenario.Name, runs);
        return runs.All(r => r.Report.Clean && r.Run.Fault is null) ? 0 : VerifyCommand.Failed;
    }
}
