using System.Runtime.CompilerServices;
using Harness.Comparison;
using Harness.Diagnosis.Invariants;
using Harness.Diagnosis.Patterns;
using Harness.Diagnosis.Scenarios;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis;

/// <summary>
/// The observations that need no hypothesis: error patterns and absolute errors of the failing tensors, invariants of
/// the kernel's own tensors, and the scenario's blind spots. They complete a <see cref="LayerDiagnosis"/>.
/// </summary>
public static class Observations
{
    public static LayerDiagnosis Attach(LayerDiagnosis diagnosis, ScenarioInstance? scenario) =>
        Observe(diagnosis.Verification, scenario)(diagnosis);

    /// <summary>
    /// The observations of a verification, computed now (they need nothing of its diagnosis, so they can be made beside
    /// it), and the function that completes its diagnosis with them.
    /// </summary>
    public static Func<LayerDiagnosis, LayerDiagnosis> Observe(LayerVerification v, ScenarioInstance? scenario)
    {
        ArgumentNullException.ThrowIfNull(v);
        var failing = v.Comparison.Verdicts.Where(t => !t.Passed).ToList();
        var padding = PaddingKeys(v.Setup.Inputs.AttentionMask);

        // Invariants, and each failing tensor's pattern and errors, read the tensors only: they are made side by side
        // (alone at the end of a diagnosis they kept one core of two busy), and gathered in tensor order.
        var invariantsChecked = Task.Run(() => InvariantChecker.Check(
            new Dictionary<string, HostTensor>(v.Kernel) { [TensorNames.Input] = v.Setup.Inputs.Hidden },
            v.Shape,
            InvariantContext.FromSemantics(LayerSemantics.Preset(v.KernelSemantics), v.Setup.Weights)));
        var perTensor = failing.AsParallel().AsOrdered().Select(t => (
            t.Name,
            Pattern: ErrorPatternAnalyzer.Analyze(t.Name, v.Shape, v.Kernel[t.Name], v.Truth[t.Name], Mismatch(t), padding),
            Errors: AbsoluteError(v.Kernel[t.Name], v.Truth[t.Name]))).ToList();
        var patterns = perTensor.ToDictionary(t => t.Name, t => t.Pattern);
        var absoluteErrors = perTensor.ToDictionary(t => t.Name, t => t.Errors);
        IReadOnlyList<BlindSpot> blindSpots = scenario is null ? [] : BlindSpotAnalyzer.Analyze(scenario);
        var invariants = invariantsChecked.GetAwaiter().GetResult();
        return diagnosis => diagnosis with
        {
            Patterns = patterns,
            AbsoluteErrors = absoluteErrors,
            Invariants = invariants,
            BlindSpots = blindSpots,
            Findings = [.. OverrideFindings(v), .. diagnosis.Findings],
        };
    }

    /// <summary>Activation overrides are a reference-side debug: the kernel computes those tensors, the reference replaces them.</summary>
    private static IEnumerable<LayerFinding> OverrideFindings(LayerVerification v) => v.Setup.ActivationOverrides.Count == 0
        ? []
        : [new ReferenceOnlyOverrides(v.Setup.ActivationOverrides.ToList())];

    /// <summary>The budget that judged the tensor, elementwise: beyond it an element counts as a mismatch.</summary>
    private static Func<double, double, bool> Mismatch(TensorVerdict verdict)
    {
        var tolerance = verdict.Comparison.Tolerance;
        return (actual, expected) => !tolerance.Accepts(actual, expected);
    }

    /// <summary>Key positions the additive mask removes (negative in batch row 0; the scenarios share one mask per row).</summary>
    private static HashSet<int>? PaddingKeys(HostTensor? mask)
    {
        if (mask is null)
        {
            return null;
        }

        var keys = new HashSet<int>();
        for (var s = 0; s < mask.Shape[^1]; s++)
        {
            if (mask.Data[s] < 0)
            {
                keys.Add(s);
            }
        }

        return keys.Count > 0 ? keys : null;
    }

    // Optimised at once: one call per tensor, over up to millions of elements.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] AbsoluteError(HostTensor kernel, HostTensor truth)
    {
        // Uninitialised: every element is written.
        var errors = GC.AllocateUninitializedArray<double>(kernel.Data.Length);
        for (long i = 0; i < errors.LongLength; i++)
        {
            errors[i] = Math.Abs(kernel.Data[i] - truth.Data[i]);
        }

        return errors;
    }
}
