namespace Harness.History;

/// <summary>A history file's lines that are not entries: the file and line named, so the file can be mended by hand.</summary>
public sealed class HistoryFormatException(string message, Exception inner) : Exception(message, inner);

/// <summary>The nightly history as JSON lines: one <see cref="HistoryEntry"/> per non-empty line, oldest first.</summary>
public static class HistoryFile
{
    public static IReadOnlyList<HistoryEntry> Parse(string name, IEnumerable<string> lines)
    {
        var entries = new List<HistoryEntry>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                entries.Add(HistoryEntry.Parse(line));
            }
            catch (InvalidDataException e)
            {
                throw new HistoryFormatException($"{name} line {number} is not a history entry: {e.Message}", e);
            }
        }

        return entries;
    }
}
