using System.CommandLine;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Kernels;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness mutants`: the mutation score. Every cpu-mutant-* variant is verified and diagnosed on a scenario; each must
/// be caught, located at the tensor its defect touches, and explained by the right hypothesis where one exists.
/// </summary>
public static class MutantsCommand
{
    /// <summary>Mutants are judged on random data by default: constant scenarios hide some defects (see their blind spots).</summary>
    private static readonly Option<string> MutantScenario = new("--scenario")
    {
        Description = "The scenario the mutants run on (random data by default).",
        DefaultValueFactory = _ => "small",
    };

    public static Command Create() => CommandFactory.Create(
        "mutants",
        "Mutation score: is every mutant caught, located at its defect's tensor, and explained by the right hypothesis?",
        [CommonOptions.NativeLib, IsolationOptions.WorkerTimeout, MutantScenario, ScenarioOptions.Batch, ScenarioOptions.Sequence, ScenarioOptions.Checkpoint, ScenarioOptions.Layer,
         ScenarioOptions.Device, CudaMutantsRun.Reruns, CudaMutantsRun.Sanitize, CommonOptions.VariantLib],
        Run);

    private static int Run(ParseResult parse)
    {
        var progress = new ConsoleProgress();
        CommonOptions.ApplyNativeLib(parse);
        if (ScenarioOptions.DeviceOf(parse) == "cuda")
        {
            // The CUDA mutants need a padded scenario (the key-mask defect) with S not a multiple of 16 (the last tile).
            var name = parse.GetResult(MutantScenario) is { Implicit: false } ? parse.GetValue(MutantScenario)! : CudaMutantsRun.DefaultScenario;
            return CudaMutantsRun.Run(parse, name, progress);
        }

        var catalog = VariantCatalog.Load();
        var scenario = ScenarioOptions.Load(parse, "mutants", progress, MutantScenario);
        progress.Report("verifying and diagnosing every mutant");
        var isolation = IsolationOptions.Worker(parse);
        var result = MutationScore.Run(catalog, semantics => VerificationSetup.From(scenario, semantics) with { Isolation = isolation });
        MutationScoreConsole.Write(AnsiConsole.Console, result);
        var perfect = result.Mutants.All(m => m.Caught && m.FirstTensorRight && m.TopHypothesisRight);
        return perfect ? 0 : VerifyCommand.Failed;
    }
}
