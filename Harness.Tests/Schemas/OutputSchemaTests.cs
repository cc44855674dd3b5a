using System.Text.Json.Nodes;
using Harness.Reporting;
using Harness.Tests.Support;

namespace Harness.Tests.Schemas;

/// <summary>
/// Every JSON the harness writes, made by the real commands on the small CPU scenario, against its schema in schemas/;
/// and a document broken on purpose is rejected, so these checks can fail.
/// </summary>
[NonParallelizable]
public sealed class OutputSchemaTests
{
    private readonly Dictionary<string, string> outputs = new(StringComparer.Ordinal);
    private string directory = string.Empty;

    [OneTimeSetUp]
    public void WriteEveryOutput()
    {
        directory = Path.Combine(Path.GetTempPath(), $"schemas-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string File(string name) => Path.Combine(directory, name);

        Expect(0, "trace", "--scenario", "small", "--json", File("trace.json"));
        // cpu-souffle judged as a Hugging Face layer fails: the report holds hypotheses, patterns and a first failure.
        Expect(1, "verify", "--variant", "cpu-souffle", "--scenario", "small", "--semantics", "huggingface", "--json", File("verify.json"), "--report", File("report"));
        Expect(0, "dump", "--scenario", "small", "--semantics", "souffle", "--format", "text", "--out", File("trace.txt"));
        Expect(0, "verify", "--stats-log", File("trace.txt"), "--scenario", "small", "--semantics", "souffle", "--json", File("stats-log.json"));
        Expect(0, "bench", "--variant", "cpu-reference", "--scenario", "small", "--batch", "1", "--sequence", "4", "--samples", "10", "--warmup", "0", "--json", File("bench.json"));
        Expect(0, "soak", "--variant", "cpu-reference", "--seeds", "1", "--shapes", "small", "--json", File("soak.json"));
        // A history entry from this run's verify JSON (in a folder of its own) and bench JSON, appended to a new file.
        Directory.CreateDirectory(File("verify-dir"));
        System.IO.File.Copy(File("verify.json"), Path.Combine(File("verify-dir"), "verify.json"));
        Expect(0, "history", "--file", File("history.jsonl"), "--verify-dir", File("verify-dir"), "--bench-json", File("bench.json"), "--label", "schema test", "--append");

        outputs["trace.schema.json"] = System.IO.File.ReadAllText(File("trace.json"));
        outputs["verify.schema.json"] = System.IO.File.ReadAllText(File("verify.json"));
        outputs["report.schema.json"] = System.IO.File.ReadAllText(Path.Combine(File("report"), "report.json"));
        outputs["stats-log.schema.json"] = System.IO.File.ReadAllText(File("stats-log.json"));
        outputs["bench.schema.json"] = System.IO.File.ReadAllText(File("bench.json"));
        outputs["variants.schema.json"] = StandardOutputOf("variants", "--json");
        outputs["soak.schema.json"] = System.IO.File.ReadAllText(File("soak.json"));
        outputs["history-entry.schema.json"] = System.IO.File.ReadAllLines(File("history.jsonl")).Single();
    }

    [OneTimeTearDown]
    public void RemoveOutputs() => Directory.Delete(directory, recursive: true);

    private static IEnumerable<TestCaseData> Schemas() =>
        new[] { "trace", "verify", "report", "stats-log", "bench", "variants", "soak", "history-entry" }.Select(n => new TestCaseData(n + ".schema.json").SetArgDisplayNames(n));

    [TestCaseSource(nameof(Schemas))]
    public void Schema_RealOutputOfTheSmallScenario_Conforms(string schema)
    {
        SchemaSet.Violations(schema, outputs[schema]).Should().BeEmpty();
    }

    [Test]
    public void SchemaVersion_EveryWriter_IsTheVersionItsSchemaFixes()
    {
        var inCode = new Dictionary<string, int>
        {
            ["trace.schema.json"] = TraceJson.SchemaVersion,
            ["verify.schema.json"] = VerificationJson.SchemaVersion,
            ["report.schema.json"] = DiagnosisJson.SchemaVersion,
            ["stats-log.schema.json"] = StatsLogJson.SchemaVersion,
            ["bench.schema.json"] = BenchReport.SchemaVersion,
            ["variants.schema.json"] = VariantJson.SchemaVersion,
            ["soak.schema.json"] = SoakReport.SchemaVersion,
            ["history-entry.schema.json"] = Harness.History.HistoryEntry.SchemaVersion,
        };

        var inSchemas = inCode.Keys.ToDictionary(k => k, k =>
            JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaSet.RepositoryRoot, "schemas", k)))!["properties"]!["schemaVersion"]!["const"]!.GetValue<int>());

        inCode.Should().Equal(inSchemas);
    }

    // Each case breaks a real output in one way the schema forbids.
    [TestCase("verify.schema.json", "schemaVersion", TestName = "Schema_VerifyOutputWithoutSchemaVersion_IsRejected")]
    [TestCase("report.schema.json", "findings", TestName = "Schema_ReportWithoutFindings_IsRejected")]
    [TestCase("trace.schema.json", "traces", TestName = "Schema_TraceWithoutTraces_IsRejected")]
    [TestCase("soak.schema.json", "distributions", TestName = "Schema_SoakWithoutDistributions_IsRejected")]
    [TestCase("history-entry.schema.json", "budgets", TestName = "Schema_HistoryEntryWithoutBudgets_IsRejected")]
    public void Schema_RealOutputMissingARequiredField_IsRejected(string schema, string field)
    {
        var document = JsonNode.Parse(outputs[schema])!.AsObject();
        document.Remove(field);

        SchemaSet.Violations(schema, document.ToJsonString()).Should().NotBeEmpty();
    }

    [Test]
    public void Schema_VerifyTensorWithAMetricAsText_IsRejected()
    {
        var document = JsonNode.Parse(outputs["verify.schema.json"])!;
        document["tensors"]![0]!["maxAbs"] = "large";

        SchemaSet.Violations("verify.schema.json", document.ToJsonString()).Should().ContainMatch("/tensors/0/maxAbs*");
    }

    private static void Expect(int code, params string[] args)
    {
        var (actual, error) = CliRunner.Run(args);
        actual.Should().Be(code, $"harness {string.Join(' ', args)}: {error}");
    }

    private static string StandardOutputOf(params string[] args)
    {
        var saved = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            Expect(0, args);
        }
        finally
        {
            Console.SetOut(saved);
        }

        return output.ToString();
    }
}
