using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Dumps;

namespace Harness.Reporting;

/// <summary>Writes JSON documents: indented, invariant numbers, non-finite numbers as the strings "NaN"/"Infinity".</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="path"/> whole or not at all (a temporary file beside it, then a rename).</summary>
    public static void Write(string path, JsonNode document) =>
        AtomicFile.Write(path, overwrite: true, temporary => File.WriteAllText(temporary, document.ToJsonString(Options) + "\n"));

    /// <summary>A JSON number, or a string for NaN and infinities (which JSON cannot hold).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
