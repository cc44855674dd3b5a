using System.CommandLine;
using Harness.Comparison;
using Harness.Model;
using Harness.Reference;
using Harness.Reporting;

namespace Harness.Cli;

/// <summary>`harness trace`: the reference BERT layer on a scenario, every intermediate dumped in dataflow order.</summary>
public static class TraceCommand
{
    private static readonly Option<string?> SemanticsOption = new("--semantics")
    {
        Description = "huggingface, souffle, a comma-separated list, or all.",
        DefaultValueFactory = _ => "all",
    };

    private static readonly Option<string?> DtypeOption = new("--dtype")
    {
        Description = "float64, float32, float16 or bfloat16 (default: the scenario's).",
    };

    public static Command Create() => CommandFactory.Create(
        "trace",
        "Compute the reference BERT layer and dump every intermediate (shape, dtype, min, max, mean, std, first values).",
        [SemanticsOption, DtypeOption, CommonOptions.Force, .. ScenarioOptions.All],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        var device = ScenarioOptions.DeviceOf(parse);
        var requestedDtype = parse.GetValue(DtypeOption) is { } d ? ElementTypes.Parse(d) : (ElementType?)null;
        var json = parse.GetValue(ScenarioOptions.Json);
        if (json is not null)
        {
            OutputTargets.CheckFile("--json", json, parse.GetValue(CommonOptions.Force));
        }

        var resolved = ScenarioOptions.Resolve(parse, "trace");
        var semanticsList = ScenarioOptions.SemanticsList(parse.GetValue(SemanticsOption), resolved.Semantics);
        var scenario = ScenarioOptions.Materialize(parse, resolved, progress);
        var dtype = requestedDtype ?? scenario.Dtype;
        var traces = new List<SemanticsTrace>();
        foreach (var semantics in semanticsList)
        {
            progress.Report($"reference layer: {semantics.Name} semantics, {dtype.DumpName()}, {scenario.Shape}, {device}");
            using var trace = BertLayerReference.Forward(
                scenario.Shape,
                scenario.Inputs.RoundedTo(dtype),
                scenario.Weights.RoundedTo(dtype),
                new ReferenceOptions(semantics, dtype, device, scenario.ActivationOverrides, scenario.Shape.Heads));
            traces.Add(new SemanticsTrace(semantics.Name, LayerTrace.Names.Select(n => (n, TensorStatistics.Of(trace.ToHost(n)))).ToList()));
        }

        var document = new TraceDocument(scenario.Name, scenario.Description, scenario.Shape, dtype, device, scenario.Settings, traces);
        Console.Out.Write(TraceText.Render(document));
        if (json is not null)
        {
            JsonOutput.Write(json, TraceJson.Of(document));
            progress.Report($"wrote {json}");
        }

        return 0;
    }
}
