namespace Harness.Scenarios;

/// <summary>Where the layer's weights come from before overrides.</summary>
public enum BaseWeights
{
    Synthetic,
    Checkpoint,

    /// <summary>The checkpoint when one is given, otherwise synthetic weights (and the instance records the fallback).</summary>
    CheckpointOrSynthetic,
}
