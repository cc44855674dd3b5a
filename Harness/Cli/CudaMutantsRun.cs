using System.CommandLine;
using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Model;
using Harness.Native;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness mutants --device cuda`: every cuda-mutant-* variant of libbk_cuda_mutants.so (built with
/// -DBK_CUDA_MUTANTS=ON; found beside the built-in library, or named by --variant-lib) verified through a worker with
/// reruns, optionally under every compute-sanitizer tool, and scored against <see cref="CudaMutantExpectations"/>.
/// </summary>
public static class CudaMutantsRun
{
    public const string LibraryFile = "libbk_cuda_mutants.so";

    public const string DefaultScenario = "padded";

    /// <summary>The mutants' pipeline without a defect (native/tests/cuda_mutants/control_honest.cu).</summary>
    public const string ControlVariant = "cuda-mutants-control";

    public static Option<int?> Reruns { get; } = new("--reruns")
    {
        Description = "Runs per CUDA mutant on the same inputs, every element compared bit for bit (default 20; --device cuda only).",
    };

    public static Option<bool> Sanitize { get; } = new("--sanitize")
    {
        Description = "Also run every compute-sanitizer tool over each CUDA mutant (--device cuda only; exit 2 when compute-sanitizer is missing).",
    };

    public const int DefaultReruns = 20;

    public static int Run(ParseResult parse, string scenarioName, IProgress<string> progress)
    {
        var reruns = parse.GetValue(Reruns) ?? DefaultReruns;
        if (reruns < 1)
        {
            throw new ArgumentException($"--reruns must be at least 1, got {reruns}");
        }

        var isolation = IsolationOptions.Worker(parse);
        var sanitizer = parse.GetValue(Sanitize) ? SanitizerLocator.Locate() : null;
        var library = parse.GetValue(CommonOptions.VariantLib) ?? Path.Combine(Path.GetDirectoryName(KernelLibrary.BuiltIn().Path)!, LibraryFile);
        if (!File.Exists(library))
        {
            throw new ArgumentException($"the CUDA mutants library {library} does not exist (configure native/ with -DBK_CUDA_MUTANTS=ON, or name it with --variant-lib)");
        }

        var catalog = VariantCatalog.Load(library);
        var mutants = catalog.Variants.Where(v => v.Name.StartsWith(CudaMutantExpectations.MutantPrefix, StringComparison.Ordinal)).ToList();
        if (mutants.Count == 0)
        {
            throw new ArgumentException($"{library} registers no {CudaMutantExpectations.MutantPrefix}* variant");
        }

        var scenario = ScenarioOptions.Materialize(parse, ScenarioOptions.Resolve(parse, "mutants", scenarioName), progress);
        var setup = VerificationSetup.From(scenario, LayerSemantics.HuggingFace) with { Runs = reruns, Isolation = isolation };

        // The mutants' pipeline without a defect must pass, or every "caught" below could be that shared fault.
        var control = catalog.Variants.FirstOrDefault(v => v.Name == ControlVariant)
            ?? throw new ArgumentException($"{library} registers no {ControlVariant} (the mutants' defect-free control)");
        progress.Report($"{control.Name}: {reruns} runs on {scenario.Name}");
        var controlVerification = LayerVerifier.Verify(control, setup);
        VerificationConsole.Write(AnsiConsole.Console, controlVerification, dumps: false);
        var scores = new List<CudaMutantScore>();
        foreach (var mutant in mutants)
        {
            progress.Report($"{mutant.Name}: {reruns} runs on {scenario.Name}");
            var verification = LayerVerifier.Verify(mutant, setup);
            var reports = new List<SanitizerReport>();
            if (sanitizer is not null)
            {
                var request = new KernelRequest(scenario.Shape, scenario.Inputs.RoundedTo(mutant.Dtype), scenario.Weights.RoundedTo(mutant.Dtype), LayerSemantics.HuggingFace.Name);
                foreach (var tool in SanitizerTool.All)
                {
                    progress.Report($"{mutant.Name}: {tool}");
                    reports.Add(SanitizerRunner.Run(sanitizer, tool, mutant, request, isolation).Report);
                }
            }

            scores.Add(CudaMutationScore.Score(mutant.Name, verification, reports));
        }

        var result = new CudaMutationScoreResult(scores);
        CudaMutationScoreConsole.Write(AnsiConsole.Console, result, sanitizer is not null);
        if (!controlVerification.Passed)
        {
            AnsiConsole.Console.WriteLine($"{ControlVariant} (no defect) FAILED: the score above says nothing about the checks");
        }

        return result.MeetsTarget && controlVerification.Passed ? 0 : VerifyCommand.Failed;
    }
}
