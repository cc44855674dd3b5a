using Harness.Model;
using TorchSharp;
using static Harness.Model.TensorNames;

namespace Harness.Reference;

/// <summary>One reference stage: its name, the canonical tensors it consumes and those it produces.</summary>
/// <param name="Name">Stage name (e.g. StageNames.Context).</param>
/// <param name="Consumes">Upstream canonical tensor names, in the order the stage function takes them.</param>
/// <param name="Produces">Canonical tensor names it produces, in dataflow order.</param>
public sealed record StageInfo(string Name, IReadOnlyList<string> Consumes, IReadOnlyList<string> Produces);

/// <summary>
/// Which stage produces which tensor from which upstream tensors, and a generic way to rerun a stage on given
/// upstream tensors ("stage isolation": feed a kernel's own attn.probs and attn.v to Context and compare its
/// attn.context with the kernel's). Besides its tensors, a stage reads the weights, the mask and the semantics from
/// the <see cref="StageContext"/>.
/// </summary>
/// <remarks>
/// The dataflow (← reads):
/// Projections: attn.q, attn.k, attn.v, attn.qkv ← input;
/// Scores: attn.scores_raw, attn.scores ← attn.q, attn.k (+ mask);
/// Softmax: attn.softmax_rowsum, attn.probs ← attn.scores;
/// Context: attn.context ← attn.probs, attn.v;
/// AttentionDense: attn.dense ← attn.context;
/// AttentionAddAndNorm: attn.ln_sum, attn.ln_sumsq, attn.output ← attn.dense, input;
/// Fc1: ffn.fc1_linear ← attn.output;
/// Activation: ffn.fc1 ← ffn.fc1_linear;
/// Fc2: ffn.fc2_linear ← ffn.fc1;
/// OutputAddAndNorm: ffn.ln_sum, ffn.ln_sumsq, output ← ffn.fc2_linear, attn.output.
/// A kernel that only writes attn.qkv gives attn.q/k/v through <see cref="ReferenceStages.SplitQkv"/>.
/// </remarks>
public static class StageCatalog
{
    public static IReadOnlyList<StageInfo> Stages { get; } =
    [
        new(StageNames.Projections, [Input], [AttnQ, AttnK, AttnV, AttnQkv]),
        new(StageNames.Scores, [AttnQ, AttnK], [AttnScoresRaw, AttnScores]),
        new(StageNames.Softmax, [AttnScores], [AttnSoftmaxRowSum, AttnProbs]),
        new(StageNames.Context, [AttnProbs, AttnV], [AttnContext]),
        new(StageNames.AttentionDense, [AttnContext], [AttnDense]),
        new(StageNames.AttentionAddAndNorm, [AttnDense, Input], [AttnLnSum, AttnLnSumSq, AttnOutput]),
        new(StageNames.Fc1, [AttnOutput], [FfnFc1Linear]),
        new(StageNames.Activation, [FfnFc1Linear], [FfnFc1]),
        new(StageNames.Fc2, [FfnFc1], [FfnFc2Linear]),
        new(StageNames.OutputAddAndNorm, [FfnFc2Linear, AttnOutput], [FfnLnSum, FfnLnSumSq, Output]),
    ];

    /// <summary>The stage that produces a canonical tensor; throws for input or an unknown name.</summary>
    public static StageInfo ProducerOf(string tensorName)
    {
        foreach (var stage in Stages)
        {
            if (stage.Produces.Contains(tensorName))
            {
                return stage;
            }
        }

        throw new ArgumentException($"no reference stage produces '{tensorName}'; known: {string.Join(", ", TensorNames.Produced)}", nameof(tensorName));
    }

    public static StageInfo Stage(string stageName) =>
        Stages.FirstOrDefault(s => s.Name == stageName)
        ?? throw new ArgumentException($"unknown reference stage '{stageName}'; known: {string.Join(", ", Stages.Select(s => s.Name))}", nameof(stageName));

    /// <summary>
    /// Runs one stage on the given upstream tensors (any dtype; brought into the compute type) and returns its
    /// products by canonical name. Throws naming the stage and the first missing upstream tensor. The caller owns
    /// the returned tensors.
    /// </summary>
    public static IReadOnlyDictionary<string, torch.Tensor> Recompute(string stageName, IReadOnlyDictionary<string, torch.Tensor> upstream, StageContext ctx)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(ctx);
        var stage = Stage(stageName);
        foreach (var name in stage.Consumes)
        {
            if (!upstream.ContainsKey(name))
            {
                throw new ArgumentException($"stage {stage.Name} needs upstream tensor '{name}', which was not given");
            }
        }

        torch.Tensor In(int i) => upstream[stage.Consumes[i]];
        torch.Tensor[] produced = stage.Name switch
        {
            StageNames.Projections => Tuple(ReferenceStages.Projections(In(0), ctx)),
            StageNames.Scores => Tuple(ReferenceStages.Scores(In(0), In(1), ctx)),
            StageNames.Softmax => Tuple(ReferenceStages.Softmax(In(0), ctx)),
            StageNames.Context => [ReferenceStages.Context(In(0), In(1), ctx)],
            StageNames.AttentionDense => [ReferenceStages.AttentionDense(In(0), ctx)],
            StageNames.AttentionAddAndNorm => Tuple(ReferenceStages.AddAndNorm(In(0), In(1), ctx.AttentionNormGamma, ctx.AttentionNormBeta, ctx)),
            StageNames.Fc1 => [ReferenceStages.Fc1(In(0), ctx)],
            StageNames.Activation => [ReferenceStages.Activation(In(0), ctx)],
            StageNames.Fc2 => [ReferenceStages.Fc2(In(0), ctx)],
            StageNames.OutputAddAndNorm => Tuple(ReferenceStages.AddAndNorm(In(0), In(1), ctx.OutputNormGamma, ctx.OutputNormBeta, ctx)),
            _ => throw new InvalidOperationException($"stage {stage.Name} is catalogued but has no implementation"),
        };

        // Invariant: each stage function returns its products in the order StageInfo.Produces lists them.
        var result = new Dictionary<string, torch.Tensor>();
        for (var i = 0; i < produced.Length; i++)
        {
            result[stage.Produces[i]] = produced[i];
        }

        return result;
    }

    private static torch.Tensor[] Tuple((torch.Tensor, torch.Tensor) t) => [t.Item1, t.Item2];

    private static torch.Tensor[] Tuple((torch.Tensor, torch.Tensor, torch.Tensor) t) => [t.Item1, t.Item2, t.Item3];

    private static torch.Tensor[] Tuple((torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor) t) => [t.Item1, t.Item2, t.Item3, t.Item4];
}
