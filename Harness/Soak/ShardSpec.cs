using System.Globalization;

namespace Harness.Soak;

/// <summary>
/// `--shard i/n`: this run takes the i-th of n interleaved slices of a case list (1 ≤ i ≤ n), so n machines or GPUs
/// share one list with no case run twice or left out.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Whole { get; } = new(1, 1);

    /// <summary>"i/n" with whole numbers 1 ≤ i ≤ n; anything else is a user error naming the value.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new ShardSpec(index, count);
        }

        throw new ArgumentException($"--shard must be i/n with whole numbers 1 <= i <= n (e.g. 2/4), got '{text}'");
    }

    /// <summary>Whether case number <paramref name="position"/> (0-based, in the list's order) belongs to this shard.</summary>
    public bool Takes(int position) => position % Count == Index - 1;

    public IEnumerable<T> Select<T>(IEnumerable<T> cases) => cases.Where((_, position) => Takes(position));

    public override string ToString() => $"{Index}/{Count}";
}
