using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.History;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness history --file HISTORY.jsonl --verify-dir DIR [--bench-json FILE] [--label L] [--append]`: this run's
/// entry (every tensor's budget used, every bench median) compared with the file's last entry; regressions printed,
/// exit 1 on any; --append adds the entry. A corrupt history line is exit 2 naming the line.
/// </summary>
public static class HistoryCommand
{
    private static readonly Option<string> FileOption = new("--file") { Description = "The history file (JSON lines; created by --append when missing).", Required = true };

    private static readonly Option<string?> VerifyDirOption = new("--verify-dir") { Description = "A folder of `verify --json` files (*.json) of this run." };

    private static readonly Option<string?> BenchOption = new("--bench-json") { Description = "This run's `bench --json` file." };

    private static readonly Option<string> LabelOption = new("--label") { Description = "What this run was (e.g. the commit).", DefaultValueFactory = _ => string.Empty };

    private static readonly Option<bool> AppendOption = new("--append") { Description = "Append this run's entry to the history file." };

    public static Command Create() => CommandFactory.Create(
        "history",
        "Compare this run's budgets and bench medians with the history's last entry (growth > 1.5x / > 10% regresses); --append records it.",
        [FileOption, VerifyDirOption, BenchOption, LabelOption, AppendOption],
        Run);

    private static int Run(ParseResult parse)
    {
        var file = parse.GetValue(FileOption)!;
        var history = File.Exists(file) ? HistoryFile.Parse(file, File.ReadLines(file)) : [];
        var verifications = parse.GetValue(VerifyDirOption) is { } dir
            ? Directory.Exists(dir)
                ? Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(f => (f, Read(f))).ToList()
                : throw new DirectoryNotFoundException($"--verify-dir {dir} does not exist")
            : [];
        (string, JsonNode)? bench = parse.GetValue(BenchOption) is { } b ? (b, Read(b)) : null;
        var entry = EntryBuilder.Build(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), parse.GetValue(LabelOption)!, verifications, bench);
        var report = RegressionCheck.Compare(history.Count > 0 ? history[^1] : null, entry);
        HistoryConsole.Write(AnsiConsole.Console, entry, report);
        if (parse.GetValue(AppendOption))
        {
            File.AppendAllText(file, entry.ToJsonLine() + "\n");
        }

        return report.Regressed ? VerifyCommand.Failed : 0;
    }

    private static JsonNode Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist");
        }

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
