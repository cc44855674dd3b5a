using Harness.Diagnosis;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The CUDA mutation score table: caught, by what, and whether that is the attribution the defect admits.</summary>
public static class CudaMutationScoreConsole
{
    public static void Write(IAnsiConsole console, CudaMutationScoreResult result, bool sanitized)
    {
        var table = new Table().AddColumns("mutant", "caught", "observed", "expected (any of)", "attributed");
        foreach (var m in result.Mutants)
        {
            var observed = m.Observed.Count == 0 ? "-" : string.Join("; ", m.Observed);
            if (m.Fault is { } fault)
            {
                observed += $"; worker: {fault}";
            }

            table.AddRow(
                Markup.Escape(m.Mutant),
                Mark(m.Caught),
                Markup.Escape(observed),
                Markup.Escape(m.Expectation is null ? "no expectation" : string.Join("; ", m.Expectation.Accepted)),
                Mark(m.Attributed));
        }

        console.Write(table);
        var n = result.Mutants.Count;
        console.WriteLine($"CUDA mutation score: caught {result.Caught}/{n}, attributed {result.Attributed}/{n}" +
                          (sanitized ? string.Empty : " (no sanitizer ran: pass --sanitize for the sanitizer attributions)"));
    }

    private static string Mark(bool ok) => ok ? "[green]yes[/]" : "[red]NO[/]";
}
