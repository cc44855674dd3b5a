using Harness.Comparison;
using Harness.Isolation;
using Harness.Kernels;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Soak;

/// <summary>
/// `harness soak` as data: the case list (shapes × seeds × the variant's semantics, in that order, then this shard's
/// slice) and each case verified. CUDA variants run in a worker (a fault must not poison this process's context);
/// CPU variants in this process (hundreds of cases; a worker's start-up would dominate).
/// </summary>
public static class SoakRunner
{
    public static IReadOnlyList<SoakCase> Plan(KernelVariant variant, IReadOnlyList<Scenario> shapes, int seeds, ShardSpec shard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var semantics = variant.Semantics.Select(LayerSemantics.Preset).ToList();
        var cases =
            from shape in shapes
            from seed in Enumerable.Range(SoakCase.FirstSeed, seeds)
            from s in semantics
            select new SoakCase(shape, seed, s);
        return shard.Select(cases).ToList();
    }

    public static SoakResult Run(KernelVariant variant, IReadOnlyList<Scenario> shapes, int seeds, ShardSpec shard, WorkerOptions? isolation, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var plan = Plan(variant, shapes, seeds, shard);
        var outcomes = new List<SoakOutcome>();
        foreach (var (c, i) in plan.Select((c, i) => (c, i)))
        {
            progress?.Report($"[{i + 1}/{plan.Count}] {c.Name}");
            var instance = c.Scenario().Materialize(MaterializeOptions.None);
            var setup = VerificationSetup.From(instance, c.Semantics) with { Isolation = variant.Device == KernelDevice.Cuda ? isolation : null };
            var verification = LayerVerifier.Verify(variant, setup);
            outcomes.Add(new SoakOutcome(
                c.Name,
                c.Shape.Name,
                c.Seed,
                c.Semantics.Name,
                verification.Passed,
                verification.Comparison.Verdicts.Select(v => (v.Name, v.BudgetUsed)).ToList()));
        }

        return new SoakResult(variant.Name, shard, seeds, shapes.Select(s => s.Name).ToList(), outcomes);
    }
}
