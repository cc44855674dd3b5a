using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Cli;

/// <summary>
/// A command line the parser rejects: one line naming the offending token in the harness's words (no .NET type
/// names), a "did you mean" for a mistyped option or command, and the command's usage, with exit code 2.
/// </summary>
public static partial class ParseErrors
{
    public static int Report(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        // An unknown token explains a missing command too ("harness tracee"): it is the one to name.
        var error = parse.Errors.FirstOrDefault(e => Unrecognized().IsMatch(e.Message)) ?? parse.Errors[0];
        Console.Error.WriteLine($"harness: error: {Describe(error, command)}; usage: {Usage(parse)}");
        return CliErrors.UserError;
    }

    private static string Describe(ParseError error, Command command)
    {
        if (error.SymbolResult is OptionResult { Option: var option } && CannotParse().Match(error.Message) is { Success: true } bad)
        {
            return $"{option.Name} takes {Expected(option.ValueType)}, got '{bad.Groups["value"].Value}'";
        }

        if (Unrecognized().Match(error.Message) is { Success: true } unknown)
        {
            var token = unknown.Groups["token"].Value;
            var known = command.Options.Select(o => o.Name).Concat(command.Subcommands.Select(c => c.Name));
            return $"unknown option or argument '{token}'{Suggestions.DidYouMean(token, known)}";
        }

        // Any other parser message, with a .NET type name (should one appear) replaced by nothing.
        return TypeName().Replace(error.Message.TrimEnd('.'), string.Empty);
    }

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => $"a whole number (at most {int.MaxValue})",
        var t when t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        _ => "a value",
    };

    private static string Usage(ParseResult parse)
    {
        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                path.Insert(0, c.Command is RootCommand ? "harness" : c.Command.Name);
            }
        }

        var line = string.Join(' ', path);
        return parse.CommandResult.Command is RootCommand
            ? $"{line} <command> [options] (harness --help lists the commands)"
            : $"{line} [options] ({line} --help lists them)";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument)")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@" as expected type '[^']*'")]
    private static partial Regex TypeName();
}
