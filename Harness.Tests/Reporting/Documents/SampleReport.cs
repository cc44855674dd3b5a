using Harness.Diagnosis.Invariants;
using Harness.Diagnosis.Patterns;
using Harness.Reporting.Documents;

namespace Harness.Tests.Reporting.Documents;

/// <summary>
/// A hand-built report at an awkward shape (S=7, H=3, D=5): attn.probs fails with a heatmap and abs errors, the layer
/// output inherits the failure, attn.q passes; one tensor name carries markup to prove escaping.
/// </summary>
internal static class SampleReport
{
    public const string HostileName = "<script>alert('x')</script>&co";

    public static ReportModel Build() => new()
    {
        Title = "cpu-souffle-mutant on seed-case",
        Subtitle = "B=1, S=7, H=3, D=5 · fp16 kernel judged against the float64 truth",
        Passed = false,
        RunFacts =
        [
            new("variant", "cpu-souffle-mutant"),
            new("scenario", "seed-case"),
            new("shape", "B=1 S=7 H=3 D=5 F=60"),
            new("kernel semantics", "souffle"),
            new("reference semantics", "souffle, fp16 accumulation"),
            new("dtype", "float16"),
            new("accumulation group", "K=64"),
            new("kernel time", "0.8 ms"),
            new("verdict", "FAIL: first failing tensor attn.probs"),
        ],
        Findings =
        [
            "attn.probs is the first tensor out of budget: the softmax drops the row maximum.",
            "output fails only because attn.probs does; every later stage is within budget in isolation.",
        ],
        BlindSpots =
        [
            new("Padding columns", "The seed case has no padded tokens, so masking is never exercised.", ["mask applied to the wrong axis", "mask value too small"]),
        ],
        ComparabilityNotes = ["Kernel and reference both round after every half2 step, so fp16 rounding points match."],
        Invariants =
        [
            new InvariantRow("rows sum to 1", "attn.probs", InvariantStatus.Failed, "worst row sum 1.31 at row 4"),
            new InvariantRow("probabilities in [0, 1]", "attn.probs", InvariantStatus.Passed, "all within"),
            new InvariantRow("LayerNorm mean 0", "attn.output", InvariantStatus.NotApplicable, "gamma/beta not given"),
        ],
        Stages =
        [
            new StageRow("softmax", ["attn.softmax_rowsum", "attn.probs"], 0.31, 55.2, 0, false, "introduces error"),
            new StageRow("attention output", ["attn.context", "attn.dense"], 1.2e-4, 0.4, 0.08, true, "inherits only"),
        ],
        Tensors =
        [
            new TensorSection
            {
                Name = "attn.q",
                Passed = true,
                Kind = TensorKind.Passed,
                VerdictLine = "PASS attn.q: max abs 0.000488281, budget 0.000976562 (used 0.5)",
                MaxAbs = 0.000488281,
                BudgetUsed = 0.5,
                WorstElement = "[0, 2, 4]: 0.25 vs 0.2495",
                Metrics = [new("rmse", "0.000101"), new("max ulp fp16", "1")],
                ReferenceDump = "=== attn.q ===\nShape: [1, 7, 15]\n",
                KernelDump = "=== attn.q ===\nShape: [1, 7, 15]\n",
                AbsErrors = [0.000488281, 0, 0.0001],
            },
            new TensorSection
            {
                Name = "attn.probs",
                Passed = false,
                Kind = TensorKind.Origin,
                VerdictLine = "FAIL attn.probs: max abs 0.31, budget 0.00561 (used 55.2×)",
                MaxAbs = 0.31,
                BudgetUsed = 55.2,
                WorstElement = "[0, 1, 4, 2]: kernel 0.42 vs truth 0.11",
                Metrics = [new("rmse", "0.052"), new("mismatch", "61.9% (91 of 147)"), new("cosine", "0.93")],
                ReferenceDump = "=== attn.probs ===\nShape: [1, 3, 7, 7]\nDtype: float16\n",
                KernelDump = "=== attn.probs ===\nShape: [1, 3, 7, 7]\nDtype: float16\n```\nfence inside\n",
                SideBySide = "            | reference | kernel\nShape       | [1, 3, 7, 7] | [1, 3, 7, 7]\n",
                Hypotheses =
                [
                    new HypothesisRow(1, "SoftmaxWithoutMaxSubtraction", "exp overflows for large scores", 97.5, true, "residual 0.0004"),
                    new HypothesisRow(2, "Fp16AccumulationHypothesis", "row sum accumulated in fp16", 3.1, false, "residual 0.30"),
                ],
                PatternFindings = ["91 of 147 mismatches (62%) sit in rows 2–6", "heads 0, 1, 2 all affected"],
                Heatmap = Heatmap(),
                AbsErrors = AbsErrors(),
            },
            new TensorSection
            {
                Name = HostileName,
                Passed = false,
                Kind = TensorKind.Inherited,
                VerdictLine = "FAIL <script>: max abs 0.05",
                MaxAbs = 0.05,
                BudgetUsed = double.NaN,
                WorstElement = "[0, 6, 14] | kernel <b>",
                ReferenceDump = "=== <script> ===\n",
                KernelDump = "=== <script> ===\n",
            },
        ],
    };

    private static ErrorHeatmap Heatmap()
    {
        var values = new double[21, 7];
        for (var r = 2; r < 21; r++)
        {
            for (var c = 0; c < 7; c++)
            {
                values[r, c] = 0.01 * (r + c);
            }
        }

        values[11, 2] = 0.31;
        return new ErrorHeatmap(values, HeatmapColumnAxis.KeyPositionOverHeads, 1, 1);
    }

    private static double[] AbsErrors() =>
        Enumerable.Range(0, 147).Select(i => i % 3 == 0 ? 0 : Math.Pow(10, -4 + i % 40 * 0.08)).ToArray();
}
