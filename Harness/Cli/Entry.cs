using System.CommandLine;

namespace Harness.Cli;

/// <summary>Command-line entry point.</summary>
public static class Entry
{
    public const int TableWidth = 120;

    public static int Run(string[] args)
    {
        NativeEnvironment.Prepare();
        GcHeapHugePages.Advise();

        // Tables are laid out for 120 columns (Spectre wraps cells to fit): wide enough for every column, narrow enough
        // for a terminal beside an editor; when stdout is not a terminal Spectre would assume 80.
        Spectre.Console.AnsiConsole.Profile.Width = Console.IsOutputRedirected ? TableWidth : Math.Min(Spectre.Console.AnsiConsole.Profile.Width, TableWidth);

        var parse = Root().Parse(args);
        return parse.Errors.Count > 0 ? ParseErrors.Report(parse) : parse.Invoke();
    }

    /// <summary>Every command of the harness (the worker's hidden one included).</summary>
    public static RootCommand Root() => new("Numerical verification harness for fused BERT-layer kernels.")
    {
        TraceCommand.Create(),
        VariantsCommand.Create(),
        VerifyCommand.Create(),
        DumpCommand.Create(),
        BenchCommand.Create(),
        MutantsCommand.Create(),
        SanitizeCommand.Create(),
        SoakCommand.Create(),
        MergeCommand.Create(),
        HistoryCommand.Create(),
        WorkerCommand.Create(),
    };
}
