using System.Text.Json;
using Harness.Scenarios;

namespace Harness.Tests.Schemas;

/// <summary>Scenario files against schemas/scenario.schema.json: the shipped ones conform, violations are caught.</summary>
public sealed class ScenarioSchemaTests
{
    private static IEnumerable<TestCaseData> ShippedFiles() =>
        Directory.GetFiles(Path.Combine(SchemaSet.RepositoryRoot, "data", "scenarios"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetFileName(f)));

    [TestCaseSource(nameof(ShippedFiles))]
    public void Schema_ShippedScenarioFile_Conforms(string path)
    {
        SchemaSet.Violations("scenario.schema.json", File.ReadAllText(path)).Should().BeEmpty();
    }

    [Test]
    public void FirstViolation_EmbeddedSchemaIsTheRepositoryFile_SameVerdictOnEveryShippedScenario()
    {
        foreach (var name in ScenarioCatalog.Names())
        {
            var path = Path.Combine(SchemaSet.RepositoryRoot, "data", "scenarios", name + ".json");
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            ScenarioSchema.FirstViolation(document.RootElement).Should().BeNull(name);
        }
    }

    // Each case breaks the schema in one way; the violation must name where.
    [TestCase("""{"shapes":{}}""", "/shapes", TestName = "FirstViolation_UnknownTopLevelField_NamesTheField")]
    [TestCase("""[1]""", "", TestName = "FirstViolation_NotAnObject_IsCaughtAtTheTop")]
    [TestCase("""{"shape":{"batch":0}}""", "/shape/batch", TestName = "FirstViolation_ZeroBatch_NamesTheField")]
    [TestCase("""{"input":{"kind":"constant","value":1,"std":2}}""", "/input/std", TestName = "FirstViolation_FieldOfAnotherInputKind_NamesTheField")]
    [TestCase("""{"weights":{"query":{"constant":1,"random":{"seed":1,"std":1}}}}""", "/weights/query", TestName = "FirstViolation_WeightWithTwoSources_NamesTheWeight")]
    [TestCase("""{"tolerances":{"output":{"atol":-1,"rtol":0}}}""", "/tolerances/output/atol", TestName = "FirstViolation_NegativeTolerance_NamesThePath")]
    [TestCase("""{"$schema":3}""", "/$schema", TestName = "FirstViolation_SchemaFieldNotAString_NamesIt")]
    public void FirstViolation_BrokenScenario_NamesTheLocation(string json, string location)
    {
        using var document = JsonDocument.Parse(json);

        var violation = ScenarioSchema.FirstViolation(document.RootElement);

        violation.Should().NotBeNull();
        violation!.Should().StartWith(location.Length == 0 ? "the top level: " : location + ": ");
        SchemaSet.Violations("scenario.schema.json", json).Should().NotBeEmpty();
    }

    [Test]
    public void Parse_ScenarioNamingItsSchema_IsAccepted()
    {
        const string json = """{"$schema":"../../schemas/scenario.schema.json","name":"x","description":"y","shape":{"sequence":7}}""";

        var scenario = ScenarioParser.Parse(json, "x.json", null, documented: true);

        scenario.Name.Should().Be("x");
        scenario.Shape.Sequence.Should().Be(7);
    }

    [Test]
    public void Parse_SchemaFieldNotAString_IsOneErrorNamingIt()
    {
        var parsing = () => ScenarioParser.Parse("""{"$schema":3}""", "x.json", null);

        parsing.Should().Throw<ScenarioException>().WithMessage("scenario 'x.json': $schema must be a string, got *");
    }
}
