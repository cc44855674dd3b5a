using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Where one parameter's values came from in a scenario: set by the scenario (":= 0.01") or taken from its base weights.</summary>
internal sealed record ParameterOrigin(bool SetByScenario, string Text)
{
    public string Phrase(string words) => SetByScenario ? $"sets {words} {Text}" : $"takes {words} {Text}";

    public static ParameterOrigin Of(ScenarioInstance s, LayerParameter p)
    {
        var scenario = s.Scenario;
        if (scenario.ZeroBiases && p.Suffix.EndsWith(".bias", StringComparison.Ordinal))
        {
            return new ParameterOrigin(true, ":= 0 (all biases zeroed)");
        }

        // The narrowest key that covers the parameter wins, as when the scenario was materialised.
        var winner = scenario.WeightOverrides.Where(o => o.Suffixes.Contains(p.Suffix)).MaxBy(o => o.Specificity);
        if (winner is not null && winner.Source is not CheckpointValues)
        {
            return new ParameterOrigin(true, ValueSourceTensors.Describe(winner.Source));
        }

        return new ParameterOrigin(false, Base(s, winner is not null));
    }

    private static string Base(ScenarioInstance s, bool askedForCheckpoint) => s.CheckpointPath is { } path && (askedForCheckpoint || s.Facts.WeightsSource == "checkpoint")
        ? $"from the checkpoint '{path}' layer {s.Scenario.Layer}"
        : s.Facts.FellBackToSynthetic || askedForCheckpoint
            ? $"from synthetic weights seed {s.Seed} (no checkpoint)"
            : $"from synthetic weights seed {s.Seed}";
}
