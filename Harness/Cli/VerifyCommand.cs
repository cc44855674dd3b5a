using System.CommandLine;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Diagnosis.Scenarios;
using Harness.Dumps;
using Harness.Kernels;
using Harness.Model;
using Harness.Reporting;
using Harness.Reporting.Documents;
using Harness.Scenarios;
using Harness.Torch;
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
        [VariantOption, DumpFileOption, StatsLogOption, NamesOption, AgainstOption, RerunsOption, IsolationOptions.WorkerTimeout, SemanticsOption, GroupOption, RoundingOption, EmulateOption, SideBySideOption, ReportOption, DiagnoseOption, CompareWithOption, CommonOptions.Force, CommonOptions.VariantLib, CommonOptions.NativeLib, .. ScenarioOptions.All],
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

        // Everything the command line alone decides is checked before the scenario is built or anything runs.
        if (parse.GetValue(RerunsOption) is < 1 and var reruns)
        {
            throw new ArgumentException($"--reruns must be at least 1, got {reruns}");
        }

        var rounding = Rounding(parse.GetValue(RoundingOption)!);
        var emulation = Emulation(parse.GetValue(EmulateOption)!, rounding);
        var requestedGroup = CommonOptions.CheckAccumulationGroup(parse.GetValue(GroupOption));
        var semantics = parse.GetValue(SemanticsOption) is { } s ? LayerSemantics.Preset(s) : null;
        var device = ScenarioOptions.DeviceOf(parse);
        var force = parse.GetValue(CommonOptions.Force);
        var report = parse.GetValue(ReportOption);
        var json = parse.GetValue(ScenarioOptions.Json);
        if (report is not null)
        {
            OutputTargets.CheckReportDirectory("--report", report, force);
        }

        if (json is not null)
        {
            OutputTargets.CheckFile("--json", json, force);
        }

        var other = parse.GetValue(CompareWithOption) is { } compareWith ? ScenarioCatalog.Resolve(compareWith) : null;
        var kernels = parse.GetValue(VariantOption) is { } variantName ? Variants(parse, variantName, requestedGroup) : null;
        var resolved = ScenarioOptions.Resolve(parse, "verify");
        if (kernels is not null && kernels.Value.Variant.CheckShape(resolved.Shape) is { } refused)
        {
            throw new ArgumentException(refused);
        }

        // libtorch loads while the scenario is drawn (managed code only, which glibc's loader lock, held by libtorch's
        // initialisers, does not stall) rather than on the references' way after it: 0.28 s less on the seed case.
        TorchPreload.Start();
        var scenario = ScenarioOptions.Materialize(parse, resolved, progress);
        var setup = VerificationSetup.From(scenario, semantics ?? scenario.Semantics) with
        {
            AccumulationGroup = requestedGroup ?? scenario.AccumulationGroup ?? 0,
            AccumulationRounding = rounding,
            ReferenceAccumulation = emulation,
            ReferenceDevice = device,
        };
        var names = parse.GetValue(NamesOption) is { } map ? NameMap.Load(map) : NameMap.BuiltIn;
        if (parse.GetValue(StatsLogOption) is { } log)
        {
            return StatsLog(log, names, setup, scenario, report, json, progress);
        }

        if (kernels is { } run)
        {
            setup = setup with
            {
                Runs = parse.GetValue(RerunsOption) ?? Determinism.DefaultRuns(run.Variant.Device),
                Isolation = IsolationOptions.Worker(parse),
            };
        }

        // Invariant: Comparability always has something to say, so --compare-with alone asks for the diagnosis.
        var diagnose = report is not null || parse.GetValue(DiagnoseOption) || other is not null;
        IReadOnlyList<string> notes = [];
        Task<LayerDiagnosis>? early = null;
        var earlyProgress = new HeldProgress(progress);
        LayerVerification verification;
        if (kernels is { Against: null } single)
        {
            using var pending = LayerVerifier.Start(single.Variant, setup, progress);
            notes = other is not null ? Comparability(scenario, other, parse, earlyProgress) : [];

            // The diagnosis reads the outputs, the references and the comparison, never the reruns' record: it starts on
            // the first run while the worker reruns, and is kept when the whole verification is that one completed. Its
            // progress (and the comparison of scenarios') shows after the verification's table, as when it started after it.
            early = diagnose && pending.Early is { } first ? Task.Run(() => LayerDiagnoser.Diagnose(first, scenario, earlyProgress)) : null;
            verification = pending.Complete();
            if (early is not null && !pending.CompletesEarly)
            {
                // Judged again (the worker faulted while rerunning): what was diagnosed from the first run no longer
                // holds. It is waited for, so it runs on beside nothing, and dropped with its progress.
                Task.WaitAny(early);
                earlyProgress.Discard();
                early = null;
            }
        }
        else
        {
            verification = kernels is { } k
                ? LayerVerifier.VerifyAgainst(k.Variant, k.Against!, setup, progress)
                : DumpVerification(parse.GetValue(DumpFileOption)!, names, setup, progress);
            notes = other is not null ? Comparability(scenario, other, parse, earlyProgress) : [];
        }

        VerificationConsole.Write(AnsiConsole.Console, verification, parse.GetValue(SideBySideOption));
        earlyProgress.Release();
        if (diagnose)
        {
            var diagnosis = early is not null
                ? early.GetAwaiter().GetResult() with { Verification = verification }
                : LayerDiagnoser.Diagnose(verification, scenario, progress);
            DiagnosisConsole.Write(AnsiConsole.Console, diagnosis, notes);
            if (report is not null)
            {
                progress.Report("writing the report");
                var plots = 0;
                var written = ReportDirectory.Write(report, staging =>
                {
                    plots = ReportWriter.Write(DiagnosisReport.Model(diagnosis, notes), staging).Plots.Count;
                    JsonOutput.Write(Path.Combine(staging, ReportDirectory.JsonFileName), DiagnosisJson.Of(diagnosis, notes));
                });
                var full = written.FullPath;
                progress.Report($"wrote {Path.Combine(full, MarkdownReport.FileName)}, {Path.Combine(full, HtmlReport.FileName)}, {Path.Combine(full, ReportDirectory.JsonFileName)} ({plots} plots)");
                ReportKept(written, progress);
            }
        }

        if (json is not null)
        {
            JsonOutput.Write(json, VerificationJson.Of(verification));
            progress.Report($"wrote {json}");
        }

        return verification.Passed ? 0 : Failed;
    }

    /// <summary>The variant (and --against's), found and checked against this machine and the options before any work.</summary>
    private static (KernelVariant Variant, KernelVariant? Against)? Variants(ParseResult parse, string name, int? requestedGroup)
    {
        CommonOptions.ApplyNativeLib(parse);
        var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
        var variant = catalog.Find(name);
        var against = parse.GetValue(AgainstOption) is { } a ? catalog.Find(a) : null;
        foreach (var v in new[] { variant, against }.OfType<KernelVariant>())
        {
            if (v.Device == KernelDevice.Cuda && !TorchSharp.torch.cuda.is_available())
            {
                throw new DeviceUnavailableException($"variant '{v.Name}' runs on CUDA, and no CUDA device is available to TorchSharp here");
            }
        }

        CommonOptions.CheckAccumulationGroupFor(variant, requestedGroup);
        return (variant, against);
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

    private static int StatsLog(string path, NameMap names, VerificationSetup setup, ScenarioInstance scenario, string? report, string? json, IProgress<string> progress)
    {
        progress.Report($"reading statistics log {path}");
        var log = StatsLogParser.Read(path);
        var verification = StatsLogVerifier.Verify(log, names, setup, path, progress);
        progress.Report("diagnosing from statistics");
        var diagnosis = StatsDiagnoser.Diagnose(verification, scenario);
        var text = StatsLogText.Render(diagnosis);
        Console.Out.Write(text);
        if (report is not null)
        {
            var written = ReportDirectory.Write(report, staging =>
            {
                AtomicFile.Write(Path.Combine(staging, MarkdownReport.FileName), overwrite: true, temporary => File.WriteAllText(temporary, text));
                JsonOutput.Write(Path.Combine(staging, ReportDirectory.JsonFileName), StatsLogJson.Of(diagnosis));
            });
            progress.Report($"wrote {Path.Combine(written.FullPath, MarkdownReport.FileName)}, {Path.Combine(written.FullPath, ReportDirectory.JsonFileName)}");
            ReportKept(written, progress);
        }

        if (json is not null)
        {
            JsonOutput.Write(json, StatsLogJson.Of(diagnosis));
            progress.Report($"wrote {json}");
        }

        return verification.Passed ? 0 : Failed;
    }

    /// <summary>Names the files of the replaced directory kept beside the new report, so none stays there unseen.</summary>
    private static void ReportKept(WrittenReport written, IProgress<string> progress)
    {
        if (written.Kept.Count > 0)
        {
            progress.Report($"kept {written.Kept.Count} {(written.Kept.Count == 1 ? "file" : "files")} not written by the harness: {string.Join(", ", written.Kept)}");
        }
    }

    private static IReadOnlyList<string> Comparability(ScenarioInstance scenario, Scenario other, ParseResult parse, IProgress<string> progress)
    {
        progress.Report($"comparing scenario {scenario.Name} with {other.Name}");
        var otherInstance = other.Materialize(MaterializeOptions.FromEnvironment(parse.GetValue(ScenarioOptions.Checkpoint)));
        return ComparabilityText.Notes(ScenarioComparability.Compare(scenario, otherInstance));
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
