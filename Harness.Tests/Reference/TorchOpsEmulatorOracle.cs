using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Reference;

/// <summary>
/// The fp16 accumulation model as torch ops, one group at a time (the emulator's earlier formulation, before it became a
/// vectorised C# kernel): group sums by float64 matmul, the fp16 rounding through frexp. A second, independent oracle
/// with different arithmetic from <see cref="ScalarEmulatorOracle"/>; slow (a dozen tensor passes per group), so only
/// for small shapes.
/// </summary>
internal static class TorchOpsEmulatorOracle
{
    public static Tensor Matmul(Tensor a, Tensor b, AccumulationModel model)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        var depth = a.shape[^1];
        Tensor? acc = null;
        for (long start = 0; start < depth; start += model.GroupSize)
        {
            var length = Math.Min(model.GroupSize, depth - start);
            var groupSum = a64.narrow(-1, start, length).matmul(b64.narrow(-2, start, length));
            acc = Round(acc is null ? groupSum : acc + groupSum, model.Rounding);
        }

        return (acc ?? a64.matmul(b64)).MoveToOuterDisposeScope();
    }

    private static Tensor Round(Tensor x, AccumulationRounding rounding)
    {
        // x = m·2^e with 0.5 <= |m| < 1: fp16 spaces its values by 2^(e−11) there, and by 2^-24 below 2^-14.
        var (_, e) = frexp(x);
        var ulp = exp2((e.to_type(ScalarType.Float64) - 11).clamp_min_(-24));
        var q = x / ulp;
        var y = (rounding == AccumulationRounding.NearestEven ? q.round_() : q.trunc_()).mul_(ulp);
        var tooLarge = y.abs().gt(65504.0);
        y = rounding == AccumulationRounding.NearestEven
            ? where(tooLarge, x.sign() * double.PositiveInfinity, y)
            : where(tooLarge, x.sign() * 65504.0, y);
        return where(x.isfinite(), y, x);
    }
}
