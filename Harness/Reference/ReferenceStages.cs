using Harness.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Reference;

/// <summary>
/// The BERT layer as ten stages; <see cref="BertLayerReference.Forward"/> is their composition and Diagnosis reruns any
/// one of them on a kernel's own upstream tensors. Every stage brings its inputs into the compute type
/// (<see cref="StageContext.ComputeType"/>), computes, and returns tensors in the run dtype, except the fp32
/// accumulators (row sums, LayerNorm sums), which stay in the compute type.
/// </summary>
/// <remarks>
/// Roundings, by run dtype:
/// <list type="bullet">
/// <item>Every stage output is stored in the run dtype; in a float16/bfloat16 run every elementwise step that
/// PyTorch would do in that dtype (GEMM output, bias add, scale, mask add, residual add, activation) is rounded to it;
/// reductions (GEMM accumulation, softmax, LayerNorm statistics) run in float32, as cuBLAS and PyTorch do.</item>
/// <item>With <see cref="LayerSemantics.Fp16RoundingPoints"/> (Souffle), values are additionally rounded to fp16 exactly
/// where the Souffle kernels hold them in half, in every run dtype, float64 included: GEMM outputs and bias adds, the
/// scaled score, the masked score, exp, the probability, the FC2 split-K parts and their sums, LayerNorm's mean, std and
/// 1/std, and each half2 step of the normalisation ((x − mean), ·rstd, ·gamma, +beta). The row sums and Σx, Σx² stay
/// float64 in a float64 run: the kernel's fp32 atomics have no defined order, and their error is far below fp16's.</item>
/// <item><see cref="LayerSemantics.ResidualInFp16"/> rounds the residual sum to fp16 whatever the other flags say.</item>
/// <item>GEMMs accumulate per <see cref="LayerSemantics.Accumulation"/>: wide = exact-ish matmul in the compute type;
/// fp16 k-groups = <see cref="AccumulationEmulator"/>.</item>
/// </list>
/// </remarks>
public static class ReferenceStages
{
    /// <summary>Which stage produces which tensor from which upstream tensors (see <see cref="StageCatalog"/>).</summary>
    public static IReadOnlyList<StageInfo> Stages => StageCatalog.Stages;

    /// <summary>QKV projections → (attn.q, attn.k, attn.v [B,H,S,D], attn.qkv [3,B·H,S,D]).</summary>
    public static (Tensor Q, Tensor K, Tensor V, Tensor Qkv) Projections(Tensor input, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var x = ctx.Enter(input);
        var q = Project(x, ctx.QueryWeight, ctx.QueryBias, ctx);
        var k = Project(x, ctx.KeyWeight, ctx.KeyBias, ctx);
        var v = Project(x, ctx.ValueWeight, ctx.ValueBias, ctx);
        var qkv = StackQkv(q, k, v, ctx.Shape);
        return (q.MoveToOuterDisposeScope(), k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope(), qkv.MoveToOuterDisposeScope());
    }

    /// <summary>attn.qkv [3,B·H,S,D] from attn.q, attn.k, attn.v [B,H,S,D].</summary>
    public static Tensor StackQkv(Tensor q, Tensor k, Tensor v, LayerShape shape) =>
        stack([q, k, v], 0).reshape(3, shape.Batch * shape.Heads, shape.Sequence, shape.HeadSize);

    /// <summary>attn.q, attn.k, attn.v [B,H,S,D] from attn.qkv (for kernels that only produce the stacked buffer).</summary>
    public static (Tensor Q, Tensor K, Tensor V) SplitQkv(Tensor qkv, LayerShape shape)
    {
        var parts = qkv.reshape(3, shape.Batch, shape.Heads, shape.Sequence, shape.HeadSize).unbind(0);
        return (parts[0].contiguous(), parts[1].contiguous(), parts[2].contiguous());
    }

    /// <summary>(attn.scores_raw = Q·Kᵀ, attn.scores = raw·scale + mask), both [B,H,S,S].</summary>
    public static (Tensor ScoresRaw, Tensor Scores) Scores(Tensor q, Tensor k, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var raw = ctx.Working(ctx.Point(Gemm(ctx.Enter(q), ctx.Enter(k).transpose(-1, -2), ctx)));
        var scores = ctx.Working(ctx.Point(raw * ScoreScaleValue(ctx.Semantics.ScoreScale, ctx.Shape)));
        if (ctx.Mask is not null)
        {
            scores = ctx.Working(ctx.Point(scores + ctx.Point(ctx.Mask)));
        }

        return (ctx.Store(raw).MoveToOuterDisposeScope(), ctx.Store(scores).MoveToOuterDisposeScope());
    }

    /// <summary>(attn.softmax_rowsum [B·H,S] in the compute type, attn.probs [B,H,S,S]).</summary>
    public static (Tensor RowSum, Tensor Probs) Softmax(Tensor scores, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var s = ctx.Enter(scores);
        Tensor e;
        if (ctx.Semantics.Softmax == SoftmaxStyle.MaxSubtracted)
        {
            e = (s - s.amax([-1], keepdim: true)).exp();
        }
        else
        {
            // Souffle: exp of the raw score, stored in half, so it overflows to inf once the score passes ~11.09.
            e = ctx.Point(s.exp());
        }

        var rowSum = e.sum(-1, keepdim: true);
        var probs = ctx.Semantics.Softmax == SoftmaxStyle.MaxSubtracted
            ? e / rowSum
            : e * rowSum.reciprocal();
        probs = ctx.Store(ctx.Point(probs));
        var flatSum = rowSum.reshape(ctx.Shape.Batch * ctx.Shape.Heads, ctx.Shape.Sequence);
        return (flatSum.MoveToOuterDisposeScope(), probs.MoveToOuterDisposeScope());
    }

    /// <summary>attn.context [B,S,M] = P·V with heads merged back (column = head·D + d).</summary>
    public static Tensor Context(Tensor probs, Tensor v, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var c = ctx.Point(Gemm(ctx.Enter(probs), ctx.Enter(v), ctx));
        var merged = c.permute(0, 2, 1, 3).reshape(ctx.Shape.Batch, ctx.Shape.Sequence, ctx.Shape.Model);
        return ctx.Store(merged).MoveToOuterDisposeScope();
    }

    /// <summary>attn.dense [B,S,M] = context·Woᵀ (+ bias).</summary>
    public static Tensor AttentionDense(Tensor context, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var y = Linear(ctx.Enter(context), ctx.AttentionOutputWeight, ctx.AttentionOutputBias, ctx);
        return ctx.Store(y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x = linear + residual; returns (Σx [B·S], Σx² [B·S], both in the compute type, LayerNorm(x) [B,S,M]) per
    /// <see cref="LayerSemantics.LayerNorm"/>. gamma/beta are [M] or 0-d scalars.
    /// </summary>
    public static (Tensor Sum, Tensor SumSq, Tensor Output) AddAndNorm(Tensor linear, Tensor residual, Tensor gamma, Tensor beta, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var sem = ctx.Semantics;
        var x = ctx.Enter(linear) + ctx.Enter(residual);
        x = sem.ResidualInFp16 ? Fp16Rounding.Round(x) : ctx.Working(x);
        var rows = ctx.Shape.Batch * ctx.Shape.Sequence;
        var sum = x.sum(-1, keepdim: true);
        var sumSq = (x * x).sum(-1, keepdim: true);
        var g = ctx.Enter(gamma);
        var b = ctx.Enter(beta);
        var m = (double)ctx.Shape.Model;

        Tensor y;
        if (sem.LayerNorm == LayerNormStyle.ScalarAffineFromSums)
        {
            var mean = ctx.Point(sum / m);
            var variance = (sumSq - sum * sum / m) / m;
            // std rounded first, then its reciprocal (half(1) / std in half): two roundings, as upstream.
            var rstd = ctx.Point(ctx.Point(Std(variance, sem)).reciprocal());
            var normalised = ctx.Point(ctx.Point(x - mean) * rstd);
            y = ctx.Point(ctx.Point(normalised * g) + b);
        }
        else
        {
            var mean = x.mean([-1], keepdim: true);
            var centred = x - mean;
            var variance = (centred * centred).mean([-1], keepdim: true);
            y = centred * InverseStd(variance, sem);
            if (sem.LayerNorm == LayerNormStyle.PerChannelAffine)
            {
                y = y * g + b;
            }

            y = ctx.Point(y);
        }

        return (sum.reshape(rows).MoveToOuterDisposeScope(), sumSq.reshape(rows).MoveToOuterDisposeScope(), ctx.Store(y).MoveToOuterDisposeScope());
    }

    /// <summary>ffn.fc1_linear [B,S,F] = attn.output·W1ᵀ (+ bias).</summary>
    public static Tensor Fc1(Tensor attentionOutput, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var y = Linear(ctx.Enter(attentionOutput), ctx.IntermediateWeight, ctx.IntermediateBias, ctx);
        return ctx.Store(y).MoveToOuterDisposeScope();
    }

    /// <summary>ffn.fc1 [B,S,F] = activation(fc1_linear) per <see cref="LayerSemantics.Activation"/>.</summary>
    public static Tensor Activation(Tensor fc1Linear, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var x = ctx.Enter(fc1Linear);
        var y = ctx.Semantics.Activation switch
        {
            Model.Activation.GeluErf => 0.5 * x * (1.0 + (x / Math.Sqrt(2.0)).erf()),
            Model.Activation.GeluTanh => 0.5 * x * (1.0 + (Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)).tanh()),
            Model.Activation.Relu => x.relu(),
            _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Semantics.Activation, "unknown activation"),
        };
        return ctx.Store(ctx.Point(y)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ffn.fc2_linear [B,S,M] = fc1·W2ᵀ (+ bias), split over n = <see cref="LayerSemantics.Fc2SplitK"/> warps by
    /// interleaved k-tiles of <see cref="LayerSemantics.Fc2KTile"/> columns of F (docs/SEMANTICS.md §4): part w runs over
    /// the tiles w, w+n, w+2n, … in ascending order (a part without a tile is skipped); the parts are added in order, in
    /// fp16 (nearest-even) when the accumulation or the rounding points are fp16, in the compute type otherwise.
    /// </summary>
    public static Tensor Fc2(Tensor fc1, StageContext ctx)
    {
        using var scope = NewDisposeScope();
        var x = ctx.Enter(fc1);
        var w = ctx.OutputWeight.t();
        var halfParts = ctx.Semantics.Fp16RoundingPoints || !ctx.Semantics.Accumulation.IsWide;

        Tensor? acc = null;
        foreach (var columns in Fc2PartColumns(ctx.Shape.Intermediate, ctx.Semantics.Fc2SplitK))
        {
            // Invariant: a part holding all of F holds it in order (one part), so it is the whole product.
            using var index = tensor(columns, device: x.device);
            var part = columns.Length == ctx.Shape.Intermediate ? Gemm(x, w, ctx) : Gemm(x.index_select(-1, index), w.index_select(0, index), ctx);
            var sum = acc is null ? part : acc + part;
            acc = halfParts ? Fp16Rounding.Round(sum) : sum;
        }

        var y = ctx.Working(ctx.Point(acc!));
        if (ctx.Semantics.UseBiases)
        {
            y = ctx.Working(ctx.Point(y + ctx.OutputBias));
        }

        return ctx.Store(y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The columns of F each FC2 part reduces over, in order: part w holds the k-tiles w, w+n, w+2n, … of
    /// <see cref="LayerSemantics.Fc2KTile"/> columns (the last tile may be shorter); parts without a tile are left out.
    /// </summary>
    public static IReadOnlyList<long[]> Fc2PartColumns(int intermediate, int parts)
    {
        var tile = LayerSemantics.Fc2KTile;
        var result = new List<long[]>();
        for (var part = 0; part < parts; part++)
        {
            var columns = new List<long>();
            for (var start = part * tile; start < intermediate; start += parts * tile)
            {
                for (var k = start; k < Math.Min(intermediate, start + tile); k++)
                {
                    columns.Add(k);
                }
            }

            if (columns.Count > 0)
            {
                result.Add([.. columns]);
            }
        }

        return result;
    }

    /// <summary>The score scale a semantics applies, as a number (the fp16 constant for Souffle).</summary>
    public static double ScoreScaleValue(ScoreScale scale, LayerShape shape) => scale switch
    {
        ScoreScale.InverseSqrtHeadSize => 1.0 / Math.Sqrt(shape.HeadSize),
        // half(1) / hsqrt(half(M)): M rounded to half, its square root rounded to half, the quotient rounded to half.
        ScoreScale.Fp16InverseSqrtModelWidth => (double)(Half)(1.0 / (double)(Half)Math.Sqrt((double)(Half)shape.Model)),
        ScoreScale.InverseSqrtModelWidth => 1.0 / Math.Sqrt(shape.Model),
        ScoreScale.None => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, null),
    };

    /// <summary>
    /// The one GEMM of the reference: [.., M, K]·[.., K, N] in the compute type, accumulated per
    /// <see cref="LayerSemantics.Accumulation"/> (wide: ordinary matmul; fp16 k-groups: <see cref="AccumulationEmulator"/>).
    /// </summary>
    public static Tensor Gemm(Tensor a, Tensor b, StageContext ctx)
    {
        var model = ctx.Semantics.Accumulation;
        if (model.IsWide)
        {
            return a.to_type(ctx.ComputeType).matmul(b.to_type(ctx.ComputeType));
        }

        using var emulated = AccumulationEmulator.Matmul(a, b, model);
        return emulated.to_type(ctx.ComputeType);
    }

    private static Tensor Project(Tensor x, Tensor weight, Tensor bias, StageContext ctx)
    {
        var s = ctx.Shape;
        var y = Linear(x, weight, bias, ctx);
        return ctx.Store(y.view(s.Batch, s.Sequence, s.Heads, s.HeadSize).permute(0, 2, 1, 3).contiguous());
    }

    private static Tensor Linear(Tensor x, Tensor weight, Tensor bias, StageContext ctx)
    {
        var y = ctx.Working(ctx.Point(Gemm(x, weight.t(), ctx)));
        return ctx.Semantics.UseBiases ? ctx.Working(ctx.Point(y + bias)) : y;
    }

    private static Tensor InverseStd(Tensor variance, LayerSemantics sem) => Std(variance, sem).reciprocal();

    private static Tensor Std(Tensor variance, LayerSemantics sem) => sem.EpsPlacement == EpsPlacement.InsideRoot
        ? (variance + sem.LayerNormEps).sqrt()
        : variance.sqrt() + sem.LayerNormEps;
}
