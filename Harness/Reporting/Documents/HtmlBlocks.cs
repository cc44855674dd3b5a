using System.Net;
using System.Text;

namespace Harness.Reporting.Documents;

/// <summary>The HTML building blocks report.html is made of: sections, tables, lists, badges; all free text escaped.</summary>
internal static class HtmlBlocks
{
    /// <summary>A section with a heading; its body, or a line saying it is empty when <paramref name="count"/> is 0.</summary>
    public static void Section(StringBuilder html, string id, string title, int count, string emptyText, Action body)
    {
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(title).Append("</h2>\n");
        if (count > 0)
        {
            body();
        }
        else
        {
            html.Append("<p class=\"empty\">").Append(emptyText).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>A table (with a header row when <paramref name="headers"/> names any) and one row per item.</summary>
    public static void Table<T>(StringBuilder html, string? cssClass, string[] headers, IEnumerable<T> rows, Action<T> writeRow)
    {
        html.Append(cssClass is null ? "<table>\n" : $"<table class=\"{cssClass}\">\n");
        if (headers.Length > 0)
        {
            html.Append("<tr>").AppendJoin(string.Empty, headers.Select(h => $"<th>{h}</th>")).Append("</tr>\n");
        }

        foreach (var row in rows)
        {
            writeRow(row);
        }

        html.Append("</table>\n");
    }

    /// <summary>A row of a two-column table: a label and its value (in a monospace cell for numbers).</summary>
    public static void LabelledRow(StringBuilder html, string label, string value, bool mono) =>
        html.Append("<tr><th>").Append(E(label)).Append(mono ? "</th><td class=\"mono\">" : "</th><td>").Append(E(value)).Append("</td></tr>\n");

    /// <summary>A bulleted list of escaped items; nothing at all when there are none.</summary>
    public static void List(StringBuilder html, IReadOnlyList<string> items) => List(html, "ul", string.Empty, items);

    /// <summary>A list (<paramref name="tag"/> ul or ol, with optional attributes) of escaped items; nothing when there are none.</summary>
    public static void List(StringBuilder html, string tag, string attributes, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        html.Append('<').Append(tag).Append(attributes).Append(">\n");
        foreach (var item in items)
        {
            html.Append("<li>").Append(E(item)).Append("</li>\n");
        }

        html.Append("</").Append(tag).Append(">\n");
    }

    public static string Badge(bool passed) =>
        passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>";

    public static string NumberCell(string text) => $"<td class=\"num mono\">{E(text)}</td>";

    public static string TensorId(int index) => $"tensor-{index + 1}";

    public static string E(string text) => WebUtility.HtmlEncode(text);
}
