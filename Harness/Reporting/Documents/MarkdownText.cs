using System.Text;

namespace Harness.Reporting.Documents;

/// <summary>
/// Escaping for Markdown (CommonMark with GitHub tables): free text can never turn into markup, raw HTML, links or
/// extra table columns, and code blocks can never be closed early by their own content.
/// </summary>
internal static class MarkdownText
{
    // Every character here is ASCII punctuation, which CommonMark lets a backslash make literal.
    private const string Special = "\\`*_[]<>|#&~";

    /// <summary>Free text on one line (a table cell, a list item, a heading).</summary>
    public static string Inline(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in OneLine(text))
        {
            if (Special.Contains(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A code span (for tensor names and element indices): HTML inside is literal; the fence is one backtick longer
    /// than any run inside, and '|' is escaped because GitHub tables split cells before reading code spans.
    /// </summary>
    public static string Code(string text)
    {
        var line = OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);
        if (line.Length == 0)
        {
            return string.Empty;
        }

        var fence = new string('`', LongestRun(line, '`') + 1);
        var pad = line.StartsWith('`') || line.EndsWith('`') ? " " : string.Empty;
        return fence + pad + line + pad + fence;
    }

    /// <summary>A fenced code block, its fence longer than any backtick run in the text.</summary>
    public static string Block(string text, string info = "text")
    {
        var fence = new string('`', Math.Max(3, LongestRun(text, '`') + 1));
        var body = text.EndsWith('\n') ? text : text + "\n";
        return $"{fence}{info}\n{body}{fence}\n";
    }

    private static string OneLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
