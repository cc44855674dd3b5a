using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>Runs the command line in process: its exit code and its stderr without progress lines.</summary>
internal static class CliRun
{
    public static (int Code, string Error) Run(params string[] args)
    {
        var saved = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            var code = Entry.Run(args);
            return (code, string.Join('\n', error.ToString().Split('\n').Where(l => !l.StartsWith('['))));
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}
