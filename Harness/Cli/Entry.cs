namespace Harness.Cli;

/// <summary>Command-line entry point (commands are added per feature).</summary>
public static class Entry
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("harness: no command yet");
        return 2;
    }
}
