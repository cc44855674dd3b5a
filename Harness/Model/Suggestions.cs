namespace Harness.Model;

/// <summary>"Did you mean" for mistyped names: the closest known name by edit distance, when it is close enough.</summary>
public static class Suggestions
{
    /// <summary>The known name nearest <paramref name="given"/>, or null when none is within a third of its length (at least 2 edits).</summary>
    public static string? Closest(string given, IEnumerable<string> known)
    {
        var limit = Math.Max(2, given.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = candidate.StartsWith(given, StringComparison.OrdinalIgnoreCase) && given.Length >= 3 ? 1 : Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= limit ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" or the empty string, to append to an "unknown ..." message.</summary>
    public static string DidYouMean(string given, IEnumerable<string> known) =>
        Closest(given, known) is { } match ? $" (did you mean '{match}'?)" : string.Empty;

    /// <summary>Levenshtein distance with adjacent transpositions counted as one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
