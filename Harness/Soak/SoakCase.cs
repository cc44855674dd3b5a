using Harness.Model;
using Harness.Scenarios;

namespace Harness.Soak;

/// <summary>
/// One soak case: a registered scenario's shape (and padding) with fresh random input and synthetic weights drawn
/// from <see cref="Seed"/>, judged under <see cref="Semantics"/>.
/// </summary>
public sealed record SoakCase(Scenario Shape, int Seed, LayerSemantics Semantics)
{
    /// <summary>Seeds start here, away from the seeds the scenario files use (1 to 7), so every draw is fresh.</summary>
    public const int FirstSeed = 10_000;

    public string Name => $"{Shape.Name}#{Seed}@{Semantics.Name}";

    /// <summary>The scenario this case runs: the shape's file with both seeds replaced and the input's spread kept.</summary>
    public Scenario Scenario()
    {
        var std = Shape.Input is GeneratedInput { Values: RandomValues random } ? random.Std : 1.0;
        return Shape with
        {
            Name = Name,
            Seed = Seed,
            Input = new GeneratedInput(new RandomValues(Seed, std)),
            Semantics = Semantics,
        };
    }

    /// <summary>
    /// The scenarios a soak may reseed: random generated input, synthetic weights, no overrides, tolerances or
    /// checkpoint (a constant or real-weights scenario has no seed to vary).
    /// </summary>
    public static bool Reseedable(Scenario s) =>
        s.Input is GeneratedInput { Values: RandomValues } && s.Checkpoint is null && s.BaseWeights == BaseWeights.Synthetic
        && s.WeightOverrides.Count == 0 && s.ActivationOverrides.Count == 0 && s.Tolerances.Count == 0 && !s.ZeroBiases;
}
