
namespace Harness.Tests.Conformance;

/// <summary>One tensor of one variant on one scenario under one semantics; its test name is variant/scenario[@semantics]/tensor.</summary>
public sealed record ConformanceCase(string Variant, string Scenario, string Semantics, string Tensor)
{
    public TestCaseData ToTestCase(string scenarioDefaultSemantics)
    {
        var scenario = Semantics == scenarioDefaultSemantics ? Scenario : $"{Scenario}@{Semantics}";
        return new TestCaseData(this).SetName($"{Variant}/{scenario}/{Tensor}");
    }

    /// <summary>Every tensor a variant declares, in dataflow order.</summary>
    public static IEnumerable<ConformanceCase> ForVariant(string variant, IReadOnlyList<string> outputs, string scenario, string semantics) =>
        outputs.OrderBy(TensorNames.OrderOf).Select(t => new ConformanceCase(variant, scenario, semantics, t));
}
