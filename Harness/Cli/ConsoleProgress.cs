namespace Harness.Cli;

/// <summary>Progress of long work, one line per step on stderr (stdout stays the report).</summary>
public sealed class ConsoleProgress : IProgress<string>
{
    private readonly DateTime start = DateTime.UtcNow;

    public void Report(string value) => Console.Error.WriteLine(Stamp(value));

    /// <summary>The line <see cref="Report"/> writes for <paramref name="value"/> now, stamped with the time since the start.</summary>
    public string Stamp(string value) => $"[{(DateTime.UtcNow - start).TotalSeconds,6:F1}s] {value}";
}
