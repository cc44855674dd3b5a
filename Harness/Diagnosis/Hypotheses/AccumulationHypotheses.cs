using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// fp16 tensor-core accumulation (docs/SEMANTICS.md §4) in the GEMM stages: group size k ∈ {1, 4, 8, 16, 32}, rounded to nearest
/// even or toward zero: ten hypotheses named like "fp16 accumulation k=16 rn".
/// </summary>
public sealed class AccumulationHypotheses : IHypothesisFamily
{
    public static IReadOnlyList<int> GroupSizes { get; } = [1, 4, 8, 16, 32];

    private static readonly string[] GemmStages = [StageNames.Projections, StageNames.Scores, StageNames.Context, StageNames.AttentionDense, StageNames.Fc1, StageNames.Fc2];

    private static readonly string[] GemmTensors = [AttnQ, AttnK, AttnV, AttnQkv, AttnScoresRaw, AttnScores, AttnContext, AttnDense, FfnFc1Linear, FfnFc2Linear];

    public IEnumerable<IHypothesis> Members =>
        from k in GroupSizes
        from rounding in new[] { AccumulationRounding.NearestEven, AccumulationRounding.TowardZero }
        let model = new AccumulationModel(k, rounding)
        select new SemanticsHypothesis(
            HypothesisNames.Accumulation(model),
            new AccumulationDescription(model),
            GemmStages,
            GemmTensors,
            (s, _) => s with { Accumulation = model });
}
