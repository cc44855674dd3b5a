using System.CommandLine;

namespace Harness.Cli;

/// <summary>Builds a command from its options and an action guarded by <see cref="CliErrors"/>.</summary>
public static class CommandFactory
{
    public static Command Create(string name, string description, IEnumerable<Option> options, Func<ParseResult, int> run)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CliErrors.Guard(() => run(parse)));
        return command;
    }
}
