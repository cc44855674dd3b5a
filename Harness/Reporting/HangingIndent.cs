namespace Harness.Reporting;

/// <summary>Text wrapped at word boundaries to a width, the first line after a bullet and the rest under its text.</summary>
public static class HangingIndent
{
    /// <summary>Lines of at most <paramref name="width"/> characters (a word longer than a line stands alone on its own).</summary>
    public static IReadOnlyList<string> Wrap(string text, string bullet, int width)
    {
        var indent = new string(' ', bullet.Length);
        var lines = new List<string>();
        var line = new System.Text.StringBuilder(bullet);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        lines.Add(line.ToString());
        return lines;
    }
}
