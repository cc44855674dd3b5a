using System.Text.Json;
using Json.Schema;

namespace Harness.Scenarios;

/// <summary>
/// schemas/scenario.schema.json, embedded in the program: every scenario file is held to it after the parser's own
/// checks, which come first because their one-line errors name the field in the user's words ("did you mean") and
/// check what a schema cannot (tensor and weight names from the registry, padding within the sequence, values the
/// dtype can hold).
/// </summary>
public static class ScenarioSchema
{
    /// <summary>The schema's path in the repository, as errors name it.</summary>
    public const string RepositoryPath = "schemas/scenario.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>The first way <paramref name="document"/> breaks the schema, as "location: message"; null when it conforms.</summary>
    public static string? FirstViolation(JsonElement document)
    {
        var results = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return null;
        }

        // The deepest failure on a chain of failures: a branch that failed inside a passing oneOf is no violation.
        var node = results;
        while (node.Details?.FirstOrDefault(d => !d.IsValid) is { } failedChild)
        {
            node = failedChild;
        }

        var location = node.InstanceLocation.ToString();
        var message = node.Errors is { Count: > 0 } errors ? errors.First().Value : "does not match";
        return $"{(location.Length == 0 ? "the top level" : location)}: {message}";
    }

    private static JsonSchema Load()
    {
        using var stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream(RepositoryPath)
            ?? throw new InvalidOperationException($"{RepositoryPath} is not embedded in the program");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
