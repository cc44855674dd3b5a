using System.CommandLine;
using Harness.Comparison;
using Harness.Dumps;
using Harness.Kernels;
using Harness.Model;
using Harness.Reference;
using Harness.Reporting;

namespace Harness.Cli;

/// <summary>
/// `harness dump`: the reference's intermediates (or a variant's outputs) on a scenario, with canonical names, as
/// safetensors, .npz or the text dump format, so they can be compared in other tools or judged with `verify`.
/// </summary>
public static class DumpCommand
{
    private static readonly Option<string?> SemanticsOption = new("--semantics") { Description = "huggingface or souffle (default: the scenario's)." };

    private static readonly Option<string?> DtypeOption = new("--dtype") { Description = "float64, float32, float16 or bfloat16 (default: the scenario's; a variant writes its own)." };

    private static readonly Option<string> FormatOption = new("--format") { Description = "safetensors, npz or text.", Required = true };

    private static readonly Option<string> OutOption = new("--out") { Description = "The file to write (written whole or not at all).", Required = true };

    private static readonly Option<bool> ForceOption = new("--force") { Description = "Replace --out if it exists." };

    private static readonly Option<string?> VariantOption = new("--variant") { Description = "Dump this variant's outputs (and the input) instead of the reference's." };

    private static readonly Option<int?> GroupOption = new("--accumulation-group") { Description = "fp16 accumulation group k for a variant that emulates it." };

    public static Command Create() => CommandFactory.Create(
        "dump",
        "Export the reference's intermediates (or a variant's outputs) with canonical names: safetensors, npz or text.",
        [SemanticsOption, DtypeOption, FormatOption, OutOption, ForceOption, VariantOption, GroupOption, CommonOptions.VariantLib, CommonOptions.NativeLib, .. ScenarioOptions.All],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        var format = DumpFormats.Parse(parse.GetValue(FormatOption)!);
        var output = parse.GetValue(OutOption)!;
        var force = parse.GetValue(ForceOption);
        AtomicFile.EnsureWritable(output, force);
        // Every option is checked before the scenario is built; the dtype and device are read again where used.
        var requestedSemantics = parse.GetValue(SemanticsOption) is { } s ? LayerSemantics.Preset(s) : null;
        _ = parse.GetValue(DtypeOption) is { } d ? ElementTypes.Parse(d) : (ElementType?)null;
        _ = ScenarioOptions.DeviceOf(parse);

        var scenario = ScenarioOptions.Load(parse, "dump", progress);
        var semantics = requestedSemantics ?? scenario.Semantics;
        var (label, dtype, tensors) = parse.GetValue(VariantOption) is { } name
            ? Variant(parse, name, scenario, semantics, progress)
            : Reference(parse, scenario, semantics, progress);

        if (format == DumpFormat.Text)
        {
            var document = new TraceDocument(scenario.Name, scenario.Description, scenario.Shape, dtype, ScenarioOptions.DeviceOf(parse), scenario.Settings,
                [new SemanticsTrace(label, tensors.Select(t => (t.Name, TensorStatistics.Of(t.Tensor))).ToList())]);
            AtomicFile.Write(output, force, temporary => File.WriteAllText(temporary, TraceText.Render(document)));
        }
        else
        {
            DumpWriter.Write(output, format, tensors, force);
        }

        progress.Report($"wrote {tensors.Count} tensors ({label}) to {output}");
        return 0;
    }

    private static (string Label, ElementType Dtype, List<(string Name, HostTensor Tensor)> Tensors) Reference(ParseResult parse, Scenarios.ScenarioInstance scenario, LayerSemantics semantics, IProgress<string> progress)
    {
        var dtype = parse.GetValue(DtypeOption) is { } d ? ElementTypes.Parse(d) : scenario.Dtype;
        progress.Report($"reference layer: {semantics.Name} semantics, {dtype.DumpName()}, {scenario.Shape}");
        using var trace = BertLayerReference.Forward(
            scenario.Shape,
            scenario.Inputs.RoundedTo(dtype),
            scenario.Weights.RoundedTo(dtype),
            new ReferenceOptions(semantics, dtype, ScenarioOptions.DeviceOf(parse), scenario.ActivationOverrides, scenario.Shape.Heads));
        return (semantics.Name, dtype, LayerTrace.Names.Select(n => (n, trace.ToHost(n))).ToList());
    }

    private static (string Label, ElementType Dtype, List<(string Name, HostTensor Tensor)> Tensors) Variant(ParseResult parse, string name, Scenarios.ScenarioInstance scenario, LayerSemantics semantics, IProgress<string> progress)
    {
        if (parse.GetValue(DtypeOption) is not null)
        {
            throw new ArgumentException("--dtype applies to the reference; a variant writes its own dtype");
        }

        CommonOptions.ApplyNativeLib(parse);
        var variant = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib)).Find(name);
        CommonOptions.CheckAccumulationGroupFor(variant, CommonOptions.CheckAccumulationGroup(parse.GetValue(GroupOption)));
        var kernelSemantics = variant.SemanticsFor(semantics.Name);
        var group = parse.GetValue(GroupOption) ?? scenario.AccumulationGroup ?? 0;
        var inputs = scenario.Inputs.RoundedTo(variant.Dtype);
        progress.Report($"running {variant.Name} ({kernelSemantics}{(group > 0 ? $", k={group}" : string.Empty)})");
        var run = KernelRunner.Run(variant, new KernelRequest(scenario.Shape, inputs, scenario.Weights.RoundedTo(variant.Dtype), kernelSemantics, group, AccumulationRounding.NearestEven));
        var tensors = new List<(string Name, HostTensor Tensor)> { (TensorNames.Input, inputs.Hidden) };
        tensors.AddRange(run.Outputs.OrderBy(o => TensorNames.OrderOf(o.Key)).Select(o => (o.Key, o.Value)));
        var label = group > 0 ? $"{variant.Name} k={group}" : variant.Name;
        return (label, variant.Dtype, tensors);
    }
}
