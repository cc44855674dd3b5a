namespace Harness.Scenarios;

/// <summary>What materialising a scenario may use from outside it: the checkpoint. An explicit path wins over the scenario's own field, which wins over the environment.</summary>
public sealed record MaterializeOptions
{
    public const string EnvironmentVariable = "HARNESS_CHECKPOINT";

    /// <summary>A checkpoint file or directory given explicitly (e.g. on the command line).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>The checkpoint named by HARNESS_CHECKPOINT, when the caller chose to consult the environment.</summary>
    public string? EnvironmentCheckpoint { get; init; }

    /// <summary>NaN or Inf in the weights or the input is accepted (and only elements whose truth is finite are judged) instead of being a scenario error.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>No checkpoint from outside the scenario (tests use this to stay independent of the machine).</summary>
    public static MaterializeOptions None { get; } = new();

    public static MaterializeOptions FromEnvironment(string? checkpointPath = null, bool allowNonFinite = false) => new()
    {
        CheckpointPath = checkpointPath,
        AllowNonFinite = allowNonFinite,
        EnvironmentCheckpoint = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } v ? v : null,
    };
}
