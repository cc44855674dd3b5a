using System.CommandLine;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Diagnosis.Scenarios;
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

    private static readonly Option<string> VariantOption = new("--variant") { Description = "The variant to verify (see `harness variants`).", Required = true };

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

    private static readonly Option<bool> DumpOption = new("--dump") { Description = "Print reference | kernel | difference dumps for every tensor." };

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

    public static Command Create() => CommandFactory.Create(
        "verify",
        "Verify a kernel variant tensor by tensor against the reference BERT layer.",
        [VariantOption, AgainstOption, SemanticsOption, GroupOption, RoundingOption, EmulateOption, DumpOption, ReportOption, DiagnoseOption, CompareWithOption, CommonOptions.VariantLib, CommonOptions.NativeLib, .. ScenarioOptions.All],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        CommonOptions.ApplyNativeLib(parse);
        var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
        var variant = catalog.Find(parse.GetValue(VariantOption)!);
        var against = parse.GetValue(AgainstOption) is { } a ? catalog.Find(a) : null;
        var scenario = ScenarioOptions.Load(parse, progress);
        var rounding = Rounding(parse.GetValue(RoundingOption)!);
        var setup = VerificationSetup.From(scenario, parse.GetValue(SemanticsOption) is { } s ? LayerSemantics.Preset(s) : scenario.Semantics) with
        {
            AccumulationGroup = parse.GetValue(GroupOption) ?? scenario.AccumulationGroup ?? 0,
            AccumulationRounding = rounding,
            ReferenceAccumulation = Emulation(parse.GetValue(EmulateOption)!, rounding),
            ReferenceDevice = ScenarioOptions.DeviceOf(parse),
        };
        var verification = against is null
            ? LayerVerifier.Verify(variant, setup, progress)
            : LayerVerifier.VerifyAgainst(variant, against, setup, progress);

        VerificationConsole.Write(AnsiConsole.Console, verification, parse.GetValue(DumpOption));
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
