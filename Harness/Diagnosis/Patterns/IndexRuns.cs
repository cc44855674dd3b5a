namespace Harness.Diagnosis.Patterns;

/// <summary>The runs of consecutive indices in a set: how contiguous a set of rows or columns is.</summary>
public static class IndexRuns
{
    public static IReadOnlyList<(int First, int Last)> Of(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToArray();
        var runs = new List<(int, int)>();
        var i = 0;
        while (i < sorted.Length)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            runs.Add((sorted[i], sorted[j]));
            i = j + 1;
        }

        return runs;
    }
}
