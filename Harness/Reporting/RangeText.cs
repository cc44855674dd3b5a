using System.Globalization;
using Harness.Diagnosis.Patterns;

namespace Harness.Reporting;

/// <summary>Run-length text for index sets ("0–15, 32–47, 50"), so a finding names ranges rather than long lists.</summary>
public static class RangeText
{
    /// <summary>Runs beyond this many are summarised by a count: a finding must stay one readable line.</summary>
    public const int MaxRunsShown = 8;

    public static string Format(IEnumerable<int> indices)
    {
        var runs = IndexRuns.Of(indices);
        var shown = runs.Take(MaxRunsShown).Select(r => r.First == r.Last
            ? r.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{r.First}–{r.Last}"));
        var text = string.Join(", ", shown);
        return runs.Count > MaxRunsShown ? $"{text}, … ({runs.Count} runs)" : text;
    }

    /// <summary>"head 2", "heads 3 and 7", "heads 1, 4 and 7", or ranges when there are many.</summary>
    public static string Named(string singular, string plural, IReadOnlyCollection<int> indices)
    {
        var sorted = indices.Order().ToArray();
        if (sorted.Length == 1)
        {
            return $"{singular} {sorted[0].ToString(CultureInfo.InvariantCulture)}";
        }

        if (sorted.Length <= 4 && IndexRuns.Of(sorted).All(r => r.First == r.Last))
        {
            var head = string.Join(", ", sorted[..^1].Select(i => i.ToString(CultureInfo.InvariantCulture)));
            return $"{plural} {head} and {sorted[^1].ToString(CultureInfo.InvariantCulture)}";
        }

        return $"{plural} {Format(sorted)}";
    }
}
