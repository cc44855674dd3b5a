using System.CommandLine;

namespace Harness.Cli;

/// <summary>Command-line entry point.</summary>
public static class Entry
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Numerical verification harness for fused BERT-layer kernels.")
        {
            TraceCommand.Create(),
            VariantsCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
