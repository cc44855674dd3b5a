using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using Harness.Reference;

namespace Harness.Diagnosis;

/// <summary>How closely one fp16 accumulation model reproduces a kernel's projections.</summary>
public sealed record AccumulationCandidate(AccumulationModel Model, Discrepancy AgainstKernel)
{
    public bool Exact => AgainstKernel.IsFinite && AgainstKernel.MaxAbs == 0;
}

/// <summary>
/// Which fp16 accumulation group reproduces an fp16 kernel's numbers, even where its GEMMs are within budget (a kernel
/// can pass and still be identified). The QKV projections are refitted from the layer input, which every kernel
/// shares with the reference, so no upstream error is mixed in: k ∈ {1, 4, 8, 16, 32} rounded to nearest, then
/// toward zero at the best k. Only the projections: an emulated GEMM at bert-base takes about a second, and three of
/// them per model keep the fit near 20 s at S = 384.
/// </summary>
public static class AccumulationFit
{
    /// <returns>Candidates, closest first; empty when the kernel is not fp16 or wrote no projection.</returns>
    public static IReadOnlyList<AccumulationCandidate> Fit(LayerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var stage = StageCatalog.Stage(StageNames.Projections);
        var written = stage.Produces.Where(verification.Kernel.ContainsKey).ToList();
        if (verification.KernelDtype != ElementType.Float16 || written.Count == 0)
        {
            return [];
        }

        var candidates = AccumulationHypotheses.GroupSizes.Select(k => Try(verification, stage, written, new AccumulationModel(k))).ToList();
        var best = candidates.MinBy(c => c.AgainstKernel.Rmse)!;
        candidates.Add(Try(verification, stage, written, best.Model with { Rounding = AccumulationRounding.TowardZero }));
        return candidates.OrderBy(c => c.AgainstKernel.NonFiniteMismatches).ThenBy(c => c.AgainstKernel.Rmse).ThenBy(c => c.AgainstKernel.MaxAbs).ToList();
    }

    private static AccumulationCandidate Try(LayerVerification v, StageInfo stage, IReadOnlyList<string> written, AccumulationModel model)
    {
        // Every fp16 GEMM output is held in half, so the model's numbers are compared after the kernel's own storage rounding.
        var alternative = new StageAlternative(v.ReferenceSemantics with { Accumulation = model, Fp16RoundingPoints = true }, v.Setup.Weights);
        using var produced = HypothesisEvaluator.Recompute(v, stage, alternative, written);
        var worst = written.Select(name => Discrepancy.Between(v.Kernel[name], produced.ShapeOf(name), produced.ValuesOf(name))).ToList();
        return new AccumulationCandidate(model, new Discrepancy(worst.Max(d => d.MaxAbs), worst.Max(d => d.Rmse), worst.Sum(d => d.NonFiniteMismatches)));
    }
}
