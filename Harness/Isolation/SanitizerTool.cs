namespace Harness.Isolation;

/// <summary>The compute-sanitizer tools `harness sanitize` runs: the four its documentation lists.</summary>
public static class SanitizerTool
{
    public const string Memcheck = "memcheck";
    public const string Racecheck = "racecheck";
    public const string Initcheck = "initcheck";
    public const string Synccheck = "synccheck";

    public static IReadOnlyList<string> All { get; } = [Memcheck, Racecheck, Initcheck, Synccheck];

    /// <summary>The tool named <paramref name="name"/>; an unknown name is a user error naming the known ones.</summary>
    public static string Parse(string name) => All.FirstOrDefault(t => string.Equals(t, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown sanitizer tool '{name}' (compute-sanitizer has {string.Join(", ", All)})");
}
