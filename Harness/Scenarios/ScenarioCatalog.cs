namespace Harness.Scenarios;

/// <summary>
/// Finds scenarios by name or path. Names come from the scenarios embedded in the program (so it runs without the
/// data folder) and from data/scenarios found above the working directory; a file there shadows the embedded copy.
/// </summary>
public static class ScenarioCatalog
{
    private const string ResourcePrefix = "scenarios/";
    private const string Extension = ".json";

    /// <summary>Every known scenario name, sorted.</summary>
    public static IReadOnlyList<string> Names(string? dataDirectory = null) =>
        EmbeddedNames().Concat(DataFiles(dataDirectory).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A path (anything ending in .json or naming an existing file) is loaded from disk; anything else is a scenario
    /// name. An unknown name is an error listing the known ones.
    /// </summary>
    public static Scenario Resolve(string nameOrPath, string? dataDirectory = null)
    {
        if (nameOrPath.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrPath))
        {
            return Load(nameOrPath);
        }

        if (DataFiles(dataDirectory).TryGetValue(nameOrPath, out var file))
        {
            return Load(file);
        }

        var resource = ResourcePrefix + nameOrPath + Extension;
        using var stream = typeof(ScenarioCatalog).Assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            throw new ScenarioException($"unknown scenario '{nameOrPath}'{Harness.Model.Suggestions.DidYouMean(nameOrPath, Names(dataDirectory))}; known: {string.Join(", ", Names(dataDirectory))} (or give a path to a .json file)");
        }

        using var reader = new StreamReader(stream);
        return ScenarioParser.Parse(reader.ReadToEnd(), $"embedded:{nameOrPath}{Extension}", null, documented: true);
    }

    public static Scenario Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"scenario '{path}': file not found");
        }

        return ScenarioParser.Parse(File.ReadAllText(path), Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path)), documented: true);
    }

    /// <summary>The data/scenarios directory: the one given, or the first found walking up from the working directory.</summary>
    public static string? FindDataDirectory()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "scenarios");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> EmbeddedNames() =>
        typeof(ScenarioCatalog).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^Extension.Length]);

    private static Dictionary<string, string> DataFiles(string? dataDirectory)
    {
        var directory = dataDirectory ?? FindDataDirectory();
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*" + Extension).ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => f, StringComparer.Ordinal);
    }
}
