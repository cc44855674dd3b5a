namespace Harness.Diagnosis;

/// <summary>What a tensor's verdict means once the dataflow and stage isolation are taken into account.</summary>
public enum DivergenceKind
{
    /// <summary>Within budget against the truth.</summary>
    Passed,

    /// <summary>The first failing tensor in dataflow order: where the error is first seen.</summary>
    Origin,

    /// <summary>Fails against the truth, but recomputed from the kernel's own upstream tensors it is within budget: the error came from upstream.</summary>
    Inherited,

    /// <summary>Fails against the truth downstream of the origin and is also wrong given the kernel's own upstream tensors.</summary>
    IntroducesOwnError,
}
