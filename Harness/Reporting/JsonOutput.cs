using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Reporting;

/// <summary>Writes JSON documents: indented, invariant numbers, non-finite numbers as the strings "NaN"/"Infinity".</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Write(string path, JsonNode document)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, document.ToJsonString(Options) + "\n");
    }

    /// <summary>A JSON number, or a string for NaN and infinities (which JSON cannot hold).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
