using System.Globalization;
using Harness.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

/// <summary>Builds and materialises small synthetic scenarios (default B=2 S=7 H=3 D=5 F=11) from JSON, so each test states only what it varies.</summary>
internal static class SmallScenario
{
    public const string AwkwardShape = """{ "batch": 2, "sequence": 7, "heads": 3, "headSize": 5, "intermediate": 11 }""";
    public const string RandomInput = """{ "kind": "random", "seed": 7, "std": 1.0 }""";

    public static ScenarioInstance Materialize(
        string name = "probe",
        string shape = AwkwardShape,
        string dtype = "float16",
        string semantics = "huggingface",
        int seed = 7,
        string input = RandomInput,
        string? weights = null,
        bool zeroBiases = false,
        int? validLength = null,
        string? activationOverrides = null,
        string? tolerances = null)
    {
        var members = new List<string>
        {
            $"\"name\": \"{name}\"",
            $"\"shape\": {shape}",
            $"\"dtype\": \"{dtype}\"",
            $"\"semantics\": \"{semantics}\"",
            $"\"seed\": {seed.ToString(CultureInfo.InvariantCulture)}",
            "\"baseWeights\": \"synthetic\"",
            $"\"input\": {input}",
            $"\"zeroBiases\": {(zeroBiases ? "true" : "false")}",
        };
        if (weights is not null)
        {
            members.Add($"\"weights\": {weights}");
        }

        if (validLength is { } v)
        {
            members.Add($"\"padding\": {{ \"validLength\": {v.ToString(CultureInfo.InvariantCulture)} }}");
        }

        if (activationOverrides is not null)
        {
            members.Add($"\"activationOverrides\": {activationOverrides}");
        }

        if (tolerances is not null)
        {
            members.Add($"\"tolerances\": {tolerances}");
        }

        var json = "{ " + string.Join(", ", members) + " }";
        return ScenarioParser.Parse(json, $"{name}.json", null).Materialize(MaterializeOptions.None);
    }
}
