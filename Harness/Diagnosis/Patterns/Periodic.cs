namespace Harness.Diagnosis.Patterns;

/// <summary>A column set that repeats with a period: every column ≡ one of <see cref="Residues"/> (mod <see cref="Period"/>).</summary>
internal sealed record Periodic(int Period, IReadOnlyList<int> Residues)
{
    /// <summary>
    /// The smallest period P (2 ≤ P ≤ count/2) under which <paramref name="columns"/> is closed: shifting any member by ±P
    /// lands on a member or off the axis, and fewer than P residues are used. Null when no such period exists.
    /// </summary>
    public static Periodic? Find(IReadOnlyList<int> columns, int count)
    {
        var set = columns.ToHashSet();
        for (var p = 2; p <= count / 2; p++)
        {
            var closed = columns.All(c => (c + p >= count || set.Contains(c + p)) && (c - p < 0 || set.Contains(c - p)));
            var residues = columns.Select(c => c % p).Distinct().Order().ToArray();
            if (closed && residues.Length < p)
            {
                return new Periodic(p, residues);
            }
        }

        return null;
    }
}
