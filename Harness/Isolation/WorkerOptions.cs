namespace Harness.Isolation;

/// <summary>
/// How variants are run in worker processes: the time a worker may take (start-up, layout and every run included)
/// before it is killed, and the program to start (null: this harness's own executable, see <see cref="WorkerLaunch"/>).
/// </summary>
public sealed record WorkerOptions(TimeSpan Timeout, string? Executable = null)
{
    /// <summary>A program and its arguments the worker's command line is appended to (e.g. compute-sanitizer and its options); empty = none.</summary>
    public IReadOnlyList<string> Wrapper { get; init; } = [];

    /// <summary>The default timeout: generous for bert-base with 100 reruns on a GPU; a hang is still reported.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(600);
}

/// <summary>A worker process could not be started (a user error: the executable is missing or not runnable).</summary>
public sealed class WorkerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
