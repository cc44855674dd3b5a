using Harness.Diagnosis;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The mutation score table.</summary>
public static class MutationScoreConsole
{
    public static void Write(IAnsiConsole console, MutationScoreResult result)
    {
        var table = new Table().AddColumns("mutant", "caught", "first failing (expected)", "top hypothesis (expected)");
        foreach (var m in result.Mutants)
        {
            table.AddRow(
                Markup.Escape(m.Mutant),
                Mark(m.Caught),
                $"{Mark(m.FirstTensorRight)} {Markup.Escape(m.FirstFailing ?? "-")} ({Markup.Escape(m.Expectation?.FirstTensor ?? "?")})",
                $"{Mark(m.TopHypothesisRight)} {Markup.Escape(TopHypothesis(m))} ({Markup.Escape(m.Expectation?.Hypothesis ?? "none expected")})");
        }

        console.Write(table);
        var n = result.Mutants.Count;
        console.WriteLine($"mutation score: caught {result.Caught}/{n}, located {result.Located}/{n}, explained {result.Explained}/{n}");
    }

    /// <summary>With no hypothesis expected, the right outcome is that none explains; say that rather than the best non-explaining one.</summary>
    private static string TopHypothesis(MutantScore m) => m.Expectation is { Hypothesis: null }
        ? m.TopHypothesisRight ? "none explains" : $"{m.TopHypothesis} explains"
        : m.TopHypothesis ?? "-";

    private static string Mark(bool ok) => ok ? "[green]yes[/]" : "[red]NO[/]";
}
