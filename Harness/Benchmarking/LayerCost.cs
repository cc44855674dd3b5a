using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>
/// The work of one layer at a shape: floating-point operations of its GEMMs and the bytes it must move at least once
/// (every weight, bias and LayerNorm vector, the input hidden states and the output), in elements of one dtype.
/// </summary>
public sealed record LayerCost(double Flops, double WeightBytes, double ActivationBytes)
{
    public double Bytes => WeightBytes + ActivationBytes;

    /// <param name="elementBytes">Bytes per element of the variant's dtype (2 for fp16).</param>
    public static LayerCost Of(LayerShape s, int elementBytes)
    {
        double m = s.Model;
        double f = s.Intermediate;
        var matrices = (4 * m * m) + (2 * m * f);   // Wq, Wk, Wv, Wo; W1 [F,M], W2 [M,F]
        var vectors = (3 * m) + m + f + m + (4 * m); // q/k/v, dense, fc1, fc2 biases; two LayerNorms' gamma and beta
        var activations = 2.0 * s.Batch * s.Sequence * m; // input in, output out
        return new LayerCost(GemmFlops(s), (matrices + vectors) * elementBytes, activations * elementBytes);
    }

    /// <summary>2·m·n·k per GEMM: Q/K/V projections, Q·Kᵀ and P·V per head, the attention dense, FC1 and FC2.</summary>
    public static double GemmFlops(LayerShape s)
    {
        double rows = (double)s.Batch * s.Sequence;
        double m = s.Model;
        var projections = 2 * rows * m * 3 * m;
        var attention = 2 * 2 * (double)s.Batch * s.Heads * s.Sequence * s.Sequence * s.HeadSize;
        var dense = 2 * rows * m * m;
        var ffn = 2 * 2 * rows * m * s.Intermediate;
        return projections + attention + dense + ffn;
    }
}
