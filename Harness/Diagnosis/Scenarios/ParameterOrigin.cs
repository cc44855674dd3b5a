using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Where one parameter's values came from in a scenario: set by the scenario (":= 0.01") or taken from its base weights.</summary>
public abstract record ParameterOrigin
{
    public abstract bool SetByScenario { get; }

    internal static ParameterOrigin Of(ScenarioInstance s, LayerParameter p)
    {
        var scenario = s.Scenario;
        if (scenario.ZeroBiases && p.Suffix.EndsWith(".bias", StringComparison.Ordinal))
        {
            return new ZeroedBiases();
        }

        // The narrowest key that covers the parameter wins, as when the scenario was materialised.
        var winner = scenario.WeightOverrides.Where(o => o.Suffixes.Contains(p.Suffix)).MaxBy(o => o.Specificity);
        if (winner is not null && winner.Source is not CheckpointValues)
        {
            return new ScenarioValues(winner.Source);
        }

        var askedForCheckpoint = winner is not null;
        return s.CheckpointPath is { } path && (askedForCheckpoint || s.Facts.WeightsSource == "checkpoint")
            ? new CheckpointLayer(path, s.Scenario.Layer)
            : new SyntheticSeed(s.Seed, NoCheckpoint: s.Facts.FellBackToSynthetic || askedForCheckpoint);
    }
}

/// <summary>The scenario zeroes all biases.</summary>
public sealed record ZeroedBiases : ParameterOrigin
{
    public override bool SetByScenario => true;
}

/// <summary>The scenario sets the values from <paramref name="Source"/>.</summary>
public sealed record ScenarioValues(ValueSource Source) : ParameterOrigin
{
    public override bool SetByScenario => true;
}

/// <summary>Taken from layer <paramref name="Layer"/> of the checkpoint at <paramref name="Path"/>.</summary>
public sealed record CheckpointLayer(string Path, int Layer) : ParameterOrigin
{
    public override bool SetByScenario => false;
}

/// <summary>Drawn from the synthetic weights of <paramref name="Seed"/>; <paramref name="NoCheckpoint"/> when a checkpoint was wanted and missing.</summary>
public sealed record SyntheticSeed(int Seed, bool NoCheckpoint) : ParameterOrigin
{
    public override bool SetByScenario => false;
}
