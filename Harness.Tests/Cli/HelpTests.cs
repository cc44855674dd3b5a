using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>Help text: each option's default said once (the parser prints [default: x] for options that have one).</summary>
[NonParallelizable]
public sealed class HelpTests
{
    private static IEnumerable<string> Commands() => Entry.Root().Subcommands.Where(c => !c.Hidden).Select(c => c.Name);

    [TestCaseSource(nameof(Commands))]
    public void Help_EveryCommand_NoDefaultSaidTwice(string command)
    {
        var saved = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            Entry.Run([command, "--help"]).Should().Be(0);
        }
        finally
        {
            Console.SetOut(saved);
        }

        var text = output.ToString();
        text.Should().Contain("--help");
        var options = text.Split("\n  -").Where(o => o.Contains("[default:", StringComparison.Ordinal));
        options.Should().NotContain(o => o.Contains("(default", StringComparison.OrdinalIgnoreCase) || o.Contains("Default:", StringComparison.Ordinal));
    }
}
