using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Isolation;

/// <summary>
/// Reads compute-sanitizer's text output (its documented format: every line of the tool starts with "========= ";
/// a finding is a line at that margin followed by indented detail lines; the run ends with a summary line). Lines of
/// the program itself (without the prefix) are ignored.
/// </summary>
public static partial class SanitizerOutputParser
{
    private const string Prefix = "=========";

    public static SanitizerReport Parse(string tool, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = new List<SanitizerFinding>();
        string? headline = null;
        string? location = null;
        string? thread = null;
        var details = new List<string>();
        int errors = 0, warnings = 0;
        var summary = false;
        var inHostFrames = false;

        void Close()
        {
            if (headline is not null)
            {
                findings.Add(new SanitizerFinding(headline, location, thread, [.. details]));
            }

            headline = location = thread = null;
            details.Clear();
            inHostFrames = false;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var body = line[Prefix.Length..];
            var content = body.Trim();
            if (content.Length == 0)
            {
                Close();
                continue;
            }

            if (ErrorSummary().Match(content) is { Success: true } errorSummary)
            {
                Close();
                errors = int.Parse(errorSummary.Groups[1].Value, CultureInfo.InvariantCulture);
                summary = true;
                continue;
            }

            if (RaceSummary().Match(content) is { Success: true } raceSummary)
            {
                Close();
                errors = int.Parse(raceSummary.Groups[2].Value, CultureInfo.InvariantCulture);
                warnings = int.Parse(raceSummary.Groups[3].Value, CultureInfo.InvariantCulture);
                summary = true;
                continue;
            }

            var indented = body.StartsWith("  ", StringComparison.Ordinal);
            if (!indented)
            {
                Close();
                // The banner names the program, not a finding.
                if (content != "COMPUTE-SANITIZER")
                {
                    headline = content.StartsWith("Error: ", StringComparison.Ordinal) ? content["Error: ".Length..] : content;
                }

                continue;
            }

            if (headline is null)
            {
                continue;
            }

            if (content.StartsWith("Saved host backtrace", StringComparison.Ordinal) || content.StartsWith("Host Frame", StringComparison.Ordinal))
            {
                inHostFrames = true;
            }
            else if (inHostFrames)
            {
                // Frames wrap onto further indented lines; none of them is the finding's own.
            }
            else if (location is null && content.StartsWith("at ", StringComparison.Ordinal))
            {
                location = content[3..];
            }
            else if (thread is null && content.StartsWith("by thread ", StringComparison.Ordinal))
            {
                thread = content[3..];
            }
            else
            {
                details.Add(content);
            }
        }

        Close();
        return new SanitizerReport(tool, findings, errors, warnings, summary);
    }

    [GeneratedRegex(@"^ERROR SUMMARY: (\d+) errors?\b")]
    private static partial Regex ErrorSummary();

    [GeneratedRegex(@"^RACECHECK SUMMARY: (\d+) hazards? displayed \((\d+) errors?, (\d+) warnings?\)")]
    private static partial Regex RaceSummary();
}
