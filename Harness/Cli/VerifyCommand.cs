using System.CommandLine;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Diagnosis.Scenarios;
using Harness.Dumps;
using Harness.Reporting.Documents;
using Harness.Scenarios;
using Harness.Kernels;
using Harness.Model;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness verify`: run a variant on a scenario, compare every tensor it writes with the reference, print the table,
/// name the first failing tensor, exit 0 only when every compared tensor passes.
/// </summary>
public static class VerifyCommand
{
    public const int Failed = 1;

    private static readonly Option<string?> VariantOption = new("--variant") { Description = "The variant to verify (see `harness variants`)." };

    private static readonly Option<string?> DumpFileOption = new("--dump")
    {
        Description = "Judge a dump of a kernel's intermediates instead of a variant: a safetensors file, an .npz, or a folder of .npy files.",
    };

    private static readonly Option<string?> StatsLogOption = new("--stats-log")
    {
        Description = "Judge a printed statistics log (=== name === blocks: Shape, Dtype, Min, Max, Mean, Std, First 10 values) instead of a variant.",
    };

    private static readonly Option<string?> NamesOption = new("--names")
    {
        Description = "JSON map from a dump's or log's names to canonical names (built in: Hugging Face module names, Souffle's buffer names and labels).",
    };

    private static readonly Option<string?> AgainstOption = new("--against")
    {
        Description = "Compare with another variant of the same dtype: its error against the truth sets the budget.",
    };

    private static readonly Option<string?> SemanticsOption = new("--semantics")
    {
        Description = "Semantics of the reference the kernel is judged against: huggingface or souffle (default: the scenario's).",
    };

    private static readonly Option<int?> GroupOption = new("--accumulation-group")
    {
        Description = "fp16 accumulation group size k for variants that emulate it (default: the scenario's, else the variant's).",
    };

    private static readonly Option<string> RoundingOption = new("--rounding")
    {
        Description = "Rounding of fp16 accumulators: rn (nearest even) or rz (toward zero).",
        DefaultValueFactory = _ => "rn",
    };

    private static readonly Option<string> EmulateOption = new("--emulate-accumulation")
    {
        Description = "How the reference accumulates GEMMs: auto (the kernel's fp16 group under Souffle semantics), none (wide), or a group size k.",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<bool> SideBySideOption = new("--side-by-side") { Description = "Print reference | kernel | difference dumps for every tensor." };

    private static readonly Option<string?> ReportOption = new("--report")
    {
        Description = "Diagnose the run and write report.md, report.html (self-contained) and plots into this directory.",
    };

    private static readonly Option<bool> DiagnoseOption = new("--diagnose")
    {
        Description = "Diagnose the run (stage isolation, hypotheses, patterns, invariants, blind spots) and print the findings.",
    };

    private static readonly Option<string?> CompareWithOption = new("--compare-with")
    {
        Description = "Another scenario this run's numbers are to be compared with: say whether the two are comparable.",
    };

    private static readonly Option<int?> RerunsOption = new("--reruns")
    {
        Description = "Run the variant N times on the same inputs and report every element that moves (a race) (default: 100 on CUDA, 5 on the CPU).",
    };

    public static Command Create() => CommandFactory.Create(
        "verify",
        "Verify a kernel variant tensor by tensor against the reference BERT layer.",
        [VariantOption, DumpFileOption, StatsLogOption, NamesOption, AgainstOption, RerunsOption, IsolationOptions.WorkerTimeout, SemanticsOption, GroupOption, RoundingOption, EmulateOption, SideBySideOption, ReportOption, DiagnoseOption, CompareWithOption, CommonOptions.VariantLib, CommonOptions.NativeLib, .. ScenarioOptions.All],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        var sources = new[] { parse.GetValue(VariantOption), parse.GetValue(DumpFileOption), parse.GetValue(StatsLogOption) };
        if (sources.Count(x => x is not null) != 1)
        {
            throw new ArgumentException("give exactly one of --variant, --dump FILE or --stats-log FILE");
        }

        if (parse.GetValue(VariantOption) is null && parse.GetValue(AgainstOption) is not null)
        {
            throw new ArgumentException("--against compares two variants; it needs --variant");
        }

        if (parse.GetValue(RerunsOption) is < 1 and var reruns)
        {
            throw new ArgumentException($"--reruns must be at least 1, got {reruns}");
        }

        var scenario = ScenarioOptions.Load(parse, progress);
        var rounding = Rounding(parse.GetValue(RoundingOption)!);
        var setup = VerificationSetup.From(scenario, parse.GetValue(SemanticsOption) is { } s ? LayerSemantics.Preset(s) : scenario.Semantics) with
        {
            AccumulationGroup = parse.GetValue(GroupOption) ?? scenario.AccumulationGroup ?? 0,
            AccumulationRounding = rounding,
            ReferenceAccumulation = Emulation(parse.GetValue(EmulateOption)!, rounding),
            ReferenceDevice = ScenarioOptions.DeviceOf(parse),
        };
        var names = parse.GetValue(NamesOption) is { } map ? NameMap.Load(map) : NameMap.BuiltIn;
        if (parse.GetValue(StatsLogOption) is { } log)
        {
            return StatsLog(parse, log, names, setup, scenario, progress);
        }

        var verification = parse.GetValue(DumpFileOption) is { } dump
            ? DumpVerification(dump, names, setup, progress)
            : VariantVerification(parse, setup, progress);

        VerificationConsole.Write(AnsiConsole.Console, verification, parse.GetValue(SideBySideOption));
        var notes = parse.GetValue(CompareWithOption) is { } other ? Comparability(scenario, other, parse, progress) : [];
        var report = parse.GetValue(ReportOption);
        if (report is not null || parse.GetValue(DiagnoseOption) || notes.Count > 0)
        {
            progress.Report("diagnosing");
            var diagnosis = LayerDiagnoser.Diagnose(verification, scenario);
            DiagnosisConsole.Write(AnsiConsole.Console, diagnosis, notes);
            if (report is not null)
            {
                var paths = ReportWriter.Write(DiagnosisReport.Model(diagnosis, notes), report);
                var reportJson = Path.Combine(report, "report.json");
                JsonOutput.Write(reportJson, DiagnosisJson.Of(diagnosis, notes));
                progress.Report($"wrote {paths.Markdown}, {paths.Html}, {reportJson} ({paths.Plots.Count} plots)");
            }
        }

        if (parse.GetValue(ScenarioOptions.Json) is { } json)
        {
            JsonOutput.Write(json, VerificationJson.Of(verification));
            progress.Report($"wrote {json}");
        }

        return verification.Passed ? 0 : Failed;
    }

    private static LayerVerification VariantVerification(ParseResult parse, VerificationSetup setup, IProgress<string> progress)
    {
        CommonOptions.ApplyNativeLib(parse);
        var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
        var variant = catalog.Find(parse.GetValue(VariantOption)!);
        var against = parse.GetValue(AgainstOption) is { } a ? catalog.Find(a) : null;
        setup = setup with
        {
            Runs = parse.GetValue(RerunsOption) ?? Determinism.DefaultRuns(variant.Device),
            Isolation = IsolationOptions.Worker(parse),
        };
        return against is null
            ? LayerVerifier.Verify(variant, setup, progress)
            : LayerVerifier.VerifyAgainst(variant, against, setup, progress);
    }

    /// <summary>A dump judged as a variant: named and shaped canonically, its dtype from the file, its input (when it holds one) the scenario's.</summary>
    private static LayerVerification DumpVerification(string path, NameMap names, VerificationSetup setup, IProgress<string> progress)
    {
        progress.Report($"reading dump {path}");
        var dump = DumpedKernel.Load(path, names, setup.Shape);
        if (dump.UnknownNames.Count > 0)
        {
            progress.Report($"not judged (no map knows these names): {string.Join(", ", dump.UnknownNames)}");
        }

        if (dump.Input is { } input)
        {
            var expected = setup.Inputs.Hidden.RoundedTo(dump.Dtype);
            var differing = Enumerable.Range(0, input.Data.Length).Count(i => input.Data[i] != expected.Data[i]);
            if (differing > 0)
            {
                throw new ArgumentException($"dump '{path}': its input differs from scenario {setup.ScenarioName}'s (rounded to {dump.Dtype.DumpName()}) in {differing} of {input.Count} elements: not comparable");
            }
        }

        var kernel = new KernelOutputs(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), dump.Dtype, dump.Outputs, setup.Semantics.Name, setup.AccumulationGroup);
        return LayerVerifier.Verify(kernel, setup, progress);
    }

    private static int StatsLog(ParseResult parse, string path, NameMap names, VerificationSetup setup, ScenarioInstance scenario, IProgress<string> progress)
    {
        progress.Report($"reading statistics log {path}");
        var log = StatsLogParser.Read(path);
        var verification = StatsLogVerifier.Verify(log, names, setup, path, progress);
        progress.Report("diagnosing from statistics");
        var diagnosis = StatsDiagnoser.Diagnose(verification, scenario);
        var text = StatsLogText.Render(diagnosis);
        Console.Out.Write(text);
        if (parse.GetValue(ReportOption) is { } report)
        {
            Directory.CreateDirectory(report);
            File.WriteAllText(Path.Combine(report, "report.md"), text);
            JsonOutput.Write(Path.Combine(report, "report.json"), StatsLogJson.Of(diagnosis));
            progress.Report($"wrote {Path.Combine(report, "report.md")}, {Path.Combine(report, "report.json")}");
        }

        if (parse.GetValue(ScenarioOptions.Json) is { } json)
        {
            JsonOutput.Write(json, StatsLogJson.Of(diagnosis));
            progress.Report($"wrote {json}");
        }

        return verification.Passed ? 0 : Failed;
    }

    private static IReadOnlyList<string> Comparability(ScenarioInstance scenario, string other, ParseResult parse, IProgress<string> progress)
    {
        progress.Report($"comparing scenario {scenario.Name} with {other}");
        var otherInstance = ScenarioCatalog.Resolve(other).Materialize(MaterializeOptions.FromEnvironment(parse.GetValue(ScenarioOptions.Checkpoint)));
        var result = ScenarioComparability.Compare(scenario, otherInstance);
        return result.Comparable
            ? [$"{scenario.Name} and {otherInstance.Name} set the same things: their numbers are comparable"]
            : [$"{scenario.Name} and {otherInstance.Name} are NOT comparable:", .. result.Differences];
    }

    private static AccumulationRounding Rounding(string text) => text switch
    {
        "rn" => AccumulationRounding.NearestEven,
        "rz" => AccumulationRounding.TowardZero,
        _ => throw new ArgumentException($"--rounding must be rn or rz, got '{text}'"),
    };

    private static AccumulationModel? Emulation(string text, AccumulationRounding rounding) => text switch
    {
        "auto" => null,
        "none" => AccumulationModel.Wide,
        _ when int.TryParse(text, out var k) && k > 0 => new AccumulationModel(k, rounding),
        _ => throw new ArgumentException($"--emulate-accumulation must be auto, none or a positive group size, got '{text}'"),
    };
}
