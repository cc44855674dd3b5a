using Harness.Comparison;
using static Harness.Model.TensorNames;

namespace Harness.Tests.Diagnosis;

/// <summary>Verifications narrowed to what a fused kernel writes, as if it had left the other tensors unwritten.</summary>
internal static class UnwrittenTensors
{
    /// <summary>What the GPU souffle variant does not write: the tensors its fused stages keep in registers and shared memory.</summary>
    public static IReadOnlyList<string> NotWrittenByGpuSouffle { get; } = [AttnScoresRaw, AttnScores, AttnDense, FfnFc1Linear, FfnFc2Linear];

    /// <summary><paramref name="verification"/> without <paramref name="unwritten"/> in the kernel's tensors and the verdicts.</summary>
    public static LayerVerification Without(LayerVerification verification, IReadOnlyCollection<string> unwritten) => verification with
    {
        Kernel = verification.Kernel.Where(p => !unwritten.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
        Comparison = new LayerComparison(verification.Comparison.Verdicts.Where(t => !unwritten.Contains(t.Name))),
    };

    /// <summary>cpu-souffle as the GPU souffle variant would be seen: only the tensors that one writes.</summary>
    public static LayerVerification AsGpuSouffle(LayerVerification verification) => Without(verification, NotWrittenByGpuSouffle.ToList());
}
