namespace Harness.Cli;

/// <summary>Progress of long work, one line per step on stderr (stdout stays the report).</summary>
public sealed class ConsoleProgress : IProgress<string>
{
    private readonly DateTime start = DateTime.UtcNow;

    public void Report(string value) =>
        Console.Error.WriteLine($"[{(DateTime.UtcNow - start).TotalSeconds,6:F1}s] {value}");
}
