using System.CommandLine;
using Harness.Isolation;

namespace Harness.Cli;

/// <summary>The worker-process options of the commands that run variants isolated (verify, mutants, bench).</summary>
public static class IsolationOptions
{
    public static Option<double> WorkerTimeout { get; } = new("--worker-timeout")
    {
        Description = "Seconds a variant's worker process may take (start-up and every run) before it is killed and its cases fail as hung.",
        DefaultValueFactory = _ => WorkerOptions.DefaultTimeout.TotalSeconds,
    };

    public static WorkerOptions Worker(ParseResult parse)
    {
        var seconds = parse.GetValue(WorkerTimeout);
        if (!(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentException($"--worker-timeout must be a positive number of seconds, got {seconds}");
        }

        return new WorkerOptions(TimeSpan.FromSeconds(seconds));
    }
}
