using System.CommandLine;

namespace Harness.Cli;

/// <summary>Command-line entry point.</summary>
public static class Entry
{
    public static int Run(string[] args)
    {
        // Spectre assumes 80 columns when stdout is not a terminal; reports are read in files and logs, so use more.
        if (Console.IsOutputRedirected)
        {
            Spectre.Console.AnsiConsole.Profile.Width = 200;
        }

        var root = new RootCommand("Numerical verification harness for fused BERT-layer kernels.")
        {
            TraceCommand.Create(),
            VariantsCommand.Create(),
            VerifyCommand.Create(),
            DumpCommand.Create(),
            BenchCommand.Create(),
            MutantsCommand.Create(),
            WorkerCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
