using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>One of the layer's two LayerNorms: y = LayerNorm(a + b), with its Σx, Σx² buffers and affine.</summary>
internal sealed record LayerNormStage(string Output, string ResidualA, string ResidualB, string Sum, string SumSq, Func<InvariantContext, LayerNormAffine?> Affine)
{
    public static IReadOnlyList<LayerNormStage> Both { get; } =
    [
        new(TensorNames.AttnOutput, TensorNames.AttnDense, TensorNames.Input, TensorNames.AttnLnSum, TensorNames.AttnLnSumSq, c => c.AttentionLayerNorm),
        new(TensorNames.Output, TensorNames.FfnFc2Linear, TensorNames.AttnOutput, TensorNames.FfnLnSum, TensorNames.FfnLnSumSq, c => c.OutputLayerNorm),
    ];

    /// <summary>x = a + b row by row, rounded to fp16 when the context says the residual add is done in fp16; null if a or b is missing.</summary>
    public double[]? Residual(IReadOnlyDictionary<string, HostTensor> tensors, InvariantContext ctx)
    {
        if (!tensors.TryGetValue(ResidualA, out var a) || !tensors.TryGetValue(ResidualB, out var b))
        {
            return null;
        }

        var x = new double[a.Count];
        for (long i = 0; i < x.Length; i++)
        {
            var sum = a.Data[i] + b.Data[i];
            x[i] = ctx.ResidualInFp16 ? ElementType.Float16.Round(sum) : sum;
        }

        return x;
    }

    /// <summary>
    /// The dtype whose rounding of x the recomputation may miss: none when x is rounded to fp16 exactly as the kernel does
    /// (Souffle), else the coarser of the two residual inputs' dtypes (the kernel may round the add to it, or not).
    /// </summary>
    public ElementType UnmatchedResidualRounding(IReadOnlyDictionary<string, HostTensor> tensors, InvariantContext ctx)
    {
        if (ctx.ResidualInFp16)
        {
            return ElementType.Float64;
        }

        var a = tensors[ResidualA].Dtype;
        var b = tensors[ResidualB].Dtype;
        return InvariantTolerances.UnitRoundoff(a) >= InvariantTolerances.UnitRoundoff(b) ? a : b;
    }
}
