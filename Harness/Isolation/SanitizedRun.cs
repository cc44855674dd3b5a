using Harness.Kernels;

namespace Harness.Isolation;

/// <summary>One compute-sanitizer tool over one worker run: the run as the worker returned it, and what the tool reported.</summary>
public sealed record SanitizedRun(KernelRun Run, SanitizerReport Report);

/// <summary>
/// Runs a variant's worker under compute-sanitizer, one tool at a time (`compute-sanitizer --tool T --log-file F
/// harness worker ...`), and parses the tool's log. The worker's own verdict (a fault, e.g. the CUDA error memcheck
/// turns an illegal access into) is kept beside the report.
/// </summary>
public static class SanitizerRunner
{
    public static SanitizedRun Run(string sanitizer, string tool, KernelVariant variant, KernelRequest request, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Directory.CreateTempSubdirectory("harness-sanitizer-");
        try
        {
            var log = Path.Combine(folder.FullName, $"{tool}.log");
            var wrapped = options with
            {
                Wrapper = [sanitizer, "--tool", SanitizerTool.Parse(tool), "--log-file", log, "--target-processes", "all", "--print-limit", "100"],
            };
            var run = IsolatedKernelRunner.Run(variant, request, runs: 1, wrapped);
            var text = File.Exists(log) ? File.ReadAllText(log) : string.Empty;
            return new SanitizedRun(run, SanitizerOutputParser.Parse(tool, text));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
