using System.CommandLine;
using System.Text.Json.Nodes;
using Harness.Reporting;
using Harness.Soak;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness merge --out FILE SHARD.json...`: the soak JSON of shards 1..n of one soak, combined into one (distributions over all cases).</summary>
public static class MergeCommand
{
    private static readonly Argument<string[]> ShardFiles = new("shards") { Description = "The soak --json files of every shard.", Arity = ArgumentArity.OneOrMore };

    private static readonly Option<string> OutOption = new("--out") { Description = "Where to write the merged soak JSON.", Required = true };

    public static Command Create()
    {
        var command = CommandFactory.Create(
            "merge",
            "Combine the soak --json files of the shards of one soak (--shard 1/n .. n/n) into one.",
            [OutOption, CommonOptions.Force],
            Run);
        command.Arguments.Add(ShardFiles);
        return command;
    }

    private static int Run(ParseResult parse)
    {
        var output = parse.GetValue(OutOption)!;
        OutputTargets.CheckFile("--out", output, parse.GetValue(CommonOptions.Force));
        var shards = parse.GetValue(ShardFiles)!.Select(f => (f, Read(f))).ToList();
        var merged = SoakShards.Merge(shards);
        SoakReport.Write(AnsiConsole.Console, merged);
        JsonOutput.Write(output, SoakReport.Json(merged, "harness " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
        return merged.FalseAlarms.Count == 0 ? 0 : VerifyCommand.Failed;
    }

    private static JsonNode Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty JSON");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path} is not JSON: {e.Message.Split('.')[0]}", e);
        }
    }
}
