using System.Text.RegularExpressions;

namespace Harness.Tests.Reporting.Documents;

/// <summary>
/// Just enough HTML reading for the report tests: every non-void element closes in the right order (script and style
/// bodies skipped), and the data URIs of the embedded images.
/// </summary>
internal static partial class HtmlStructure
{
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase) { "meta", "img", "br", "hr", "link", "input" };

    /// <summary>Null when balanced, otherwise what is wrong.</summary>
    public static string? Imbalance(string html)
    {
        var body = RawText().Replace(html, "<$1></$1>");
        var open = new Stack<string>();
        foreach (Match tag in Tag().Matches(body))
        {
            var name = tag.Groups[2].Value.ToLowerInvariant();
            if (Void.Contains(name))
            {
                continue;
            }

            if (tag.Groups[1].Value.Length == 0)
            {
                open.Push(name);
            }
            else if (open.Count == 0 || open.Pop() != name)
            {
                return $"</{name}> at {tag.Index} closes nothing open";
            }
        }

        return open.Count == 0 ? null : $"unclosed <{string.Join(">, <", open)}>";
    }

    public static IReadOnlyList<byte[]> EmbeddedPngs(string html) =>
        DataUri().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex RawText();

    [GeneratedRegex(@"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUri();
}
