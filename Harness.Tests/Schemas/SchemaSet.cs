using System.Text.Json;
using Json.Schema;

namespace Harness.Tests.Schemas;

/// <summary>The repository's schemas/ folder, every schema built once into one registry so their $refs resolve.</summary>
internal static class SchemaSet
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(Load);

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("no Harness.sln above the test directory");
        }
    }

    /// <summary>Every way <paramref name="json"/> breaks schemas/<paramref name="schemaFile"/>, as "location: message" lines.</summary>
    public static IReadOnlyList<string> Violations(string schemaFile, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schemas.Value[schemaFile].Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var violations = new List<string>();
        Collect(results, violations);
        return violations;
    }

    // Only failures under failures: a branch that failed inside a passing oneOf is no violation.
    private static void Collect(EvaluationResults node, List<string> violations)
    {
        if (node.IsValid)
        {
            return;
        }

        violations.AddRange((node.Errors ?? []).Select(e => $"{node.InstanceLocation}: {e.Value}"));
        foreach (var child in node.Details ?? [])
        {
            Collect(child, violations);
        }
    }

    private static Dictionary<string, JsonSchema> Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var folder = Path.Combine(RepositoryRoot, "schemas");
        // Referenced schemas first: every output refers to common, report.json nests a verification.
        string[] first = ["common.schema.json", "verify.schema.json"];
        var files = Directory.GetFiles(folder, "*.schema.json")
            .OrderBy(f => Array.IndexOf(first, Path.GetFileName(f)) is var i and >= 0 ? i : first.Length)
            .ThenBy(f => f, StringComparer.Ordinal);
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var schema = JsonSchema.FromText(File.ReadAllText(file), options);
            options.SchemaRegistry.Register(schema);
            schemas[Path.GetFileName(file)] = schema;
        }

        return schemas;
    }
}
