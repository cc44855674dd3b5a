using Harness.Diagnosis;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The diagnosis on the console: findings, comparability, failed invariants and blind spots.</summary>
public static class DiagnosisConsole
{
    public static void Write(IAnsiConsole console, LayerDiagnosis d, IReadOnlyList<string> comparabilityNotes)
    {
        Section(console, "Findings", FindingText.Lines(d.Findings));
        Section(console, "Comparability", comparabilityNotes);
        Section(console, "Failed invariants", d.Invariants.Where(i => i.Failed).Select(i => $"{i.Name} ({i.TensorName}): {InvariantText.Detail(i.Detail)}").ToList());
        Section(console, "Where the mismatches sit", d.Patterns.SelectMany(p => PatternText.Lines(p.Value.Findings.Take(2)).Select(f => $"{p.Key}: {f}")).ToList());
        Section(console, "What this scenario cannot detect", d.BlindSpots.Select(BlindSpotText.Description).ToList());
    }

    private static void Section(IAnsiConsole console, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        foreach (var line in lines)
        {
            foreach (var wrapped in HangingIndent.Wrap(line, "  - ", console.Profile.Width))
            {
                console.WriteLine(wrapped);
            }
        }
    }
}
