using Harness.Model;
using Harness.Scenarios;

namespace Harness.Comparison;

/// <summary>
/// Everything one verification needs: the layer (full-precision inputs and weights; the verifier rounds them to the
/// kernel's dtype so kernel, truth and low-precision reference all start from identical values), the semantics the
/// kernel is judged against, and the kernel parameters.
/// </summary>
public sealed record VerificationSetup
{
    public required string ScenarioName { get; init; }

    public required LayerShape Shape { get; init; }

    public required LayerInputs Inputs { get; init; }

    public required LayerWeights Weights { get; init; }

    /// <summary>The semantics of the reference the kernel is compared with (may differ from what the kernel computes).</summary>
    public required LayerSemantics Semantics { get; init; }

    /// <summary>Reference-side debug overrides (canonical name → constant); a kernel cannot apply them.</summary>
    public IReadOnlyDictionary<string, double> ActivationOverrides { get; init; } = new Dictionary<string, double>();

    /// <summary>Explicit per-tensor tolerances that replace the error budget.</summary>
    public IReadOnlyDictionary<string, Tolerance> Tolerances { get; init; } = new Dictionary<string, Tolerance>();

    /// <summary>The kernel's fp16 accumulation group (0 = the variant's default).</summary>
    public int AccumulationGroup { get; init; }

    public AccumulationRounding AccumulationRounding { get; init; } = AccumulationRounding.NearestEven;

    /// <summary>
    /// How the reference models GEMM accumulation: null = automatic (emulate the kernel's fp16 group when the reference
    /// semantics is Souffle's and the kernel accumulates in fp16), otherwise exactly this model.
    /// </summary>
    public AccumulationModel? ReferenceAccumulation { get; init; }

    /// <summary>Judge only elements whose float64 truth is finite (the scenario allowed NaN/Inf in what enters the layer).</summary>
    public bool FiniteTruthOnly { get; init; }

    /// <summary>"cpu" or "cuda": where the reference runs.</summary>
    public string ReferenceDevice { get; init; } = "cpu";

    /// <summary>
    /// How many times the variant runs on the same inputs (outputs re-poisoned each time); from 2 on, every element
    /// that differs bit for bit between runs is reported (<see cref="Determinism"/>). 1 = run once, no rerun check.
    /// </summary>
    public int Runs { get; init; } = 1;

    /// <summary>Run the variant in a worker process with these options (a crash or hang fails its cases only); null = in this process.</summary>
    public Harness.Isolation.WorkerOptions? Isolation { get; init; }

    /// <summary>The setup a scenario describes, judged against <paramref name="semantics"/>.</summary>
    public static VerificationSetup From(ScenarioInstance scenario, LayerSemantics semantics) => new()
    {
        ScenarioName = scenario.Name,
        Shape = scenario.Shape,
        Inputs = scenario.Inputs,
        Weights = scenario.Weights,
        Semantics = semantics,
        ActivationOverrides = scenario.ActivationOverrides,
        Tolerances = scenario.Tolerances.ToDictionary(kv => kv.Key, kv => new Tolerance(kv.Value.Atol, kv.Value.Rtol)),
        AccumulationGroup = scenario.AccumulationGroup ?? 0,
        FiniteTruthOnly = scenario.NonFiniteAllowed,
    };
}
