using Harness.Comparison;
using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>
/// Separates the error each stage introduces from the error it inherits: every stage whose outputs the kernel wrote is
/// recomputed with the verification's reference semantics (accumulation model included) from the kernel's own
/// upstream tensors, once in float64 (the isolated recompute) and once in the kernel's dtype (its budget). An upstream
/// tensor the kernel did not write is recomputed too, from its own producer's inputs (see <see cref="StageSegment"/>),
/// never taken from the truth: the stage is then judged together with the stages folded into it.
/// </summary>
/// <remarks>
/// Introduced error = kernel vs isolated, judged by <see cref="ErrorBudget.Judge"/> with the kernel-dtype recompute as
/// the low-precision reference, i.e. exactly the budget rule of the verification applied to one stage. Inherited
/// error = isolated vs truth, measured against the verification's own budget for the tensor.
/// </remarks>
public static class StageIsolation
{
    public static IReadOnlyList<StageIsolationResult> Isolate(LayerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        // Each stage is recomputed from the kernel's own tensors alone, so stages are isolated in parallel (in order).
        return StageCatalog.Stages.Where(stage => stage.Produces.Any(verification.Kernel.ContainsKey))
            .AsParallel().AsOrdered().Select(stage => IsolateStage(verification, stage)).ToList();
    }

    private static StageIsolationResult IsolateStage(LayerVerification v, StageInfo stage)
    {
        var segment = StageSegment.Of(v, stage);
        var isolated = segment.Recompute(v, _ => null, ElementType.Float64);
        var lowPrecision = segment.Recompute(v, _ => null, v.KernelDtype);

        // Accumulator step scales are read at the magnitudes this segment actually summed: the kernel's upstream and the isolated outputs.
        var scales = new Dictionary<string, HostTensor>(v.Truth);
        foreach (var (name, t) in segment.KernelUpstream(v).Concat(isolated))
        {
            scales[name] = t;
        }

        var tensors = new List<IsolatedTensor>();
        foreach (var name in stage.Produces.Where(v.Kernel.ContainsKey))
        {
            var introduced = ErrorBudget.Judge(
                name, v.Kernel[name], isolated[name], lowPrecision[name],
                v.Setup.Tolerances.GetValueOrDefault(name), AccumulatorScales.For(name, scales, v.KernelDtype));
            tensors.Add(new IsolatedTensor
            {
                Name = name,
                Isolated = isolated[name],
                Introduced = introduced,
                KernelAgainstIsolated = Discrepancy.Between(v.Kernel[name], isolated[name]),
                Inherited = InheritedAgainst(isolated[name], v.Truth[name], v.Comparison.Verdicts.FirstOrDefault(x => x.Name == name)),
            });
        }

        return new StageIsolationResult(segment, tensors) { Products = isolated };
    }

    private static InheritedError InheritedAgainst(HostTensor isolated, HostTensor truth, TensorVerdict? verdict)
    {
        var d = Discrepancy.Between(isolated, truth);
        var used = verdict is null || double.IsNaN(verdict.MaxAbsBudget)
            ? double.NaN
            : d.IsFinite ? Math.Max(d.MaxAbs / verdict.MaxAbsBudget, d.Rmse / verdict.RmseBudget) : double.PositiveInfinity;
        return new InheritedError(d.MaxAbs, d.Rmse, d.NonFiniteMismatches, used);
    }
}
