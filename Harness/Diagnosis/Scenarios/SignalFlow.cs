using Harness.Model;
using Harness.Scenarios;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Which canonical tensors a scenario's values make degenerate, traced through the layer's dataflow without running it:
/// a tensor is constant (every element equal) or has identical token rows (every query/token position the same within
/// its batch row). Exact where it claims something; it never claims a degeneracy the values do not force.
/// </summary>
internal sealed class SignalFlow
{
    private readonly HashSet<string> constant = new(StringComparer.Ordinal);
    private readonly HashSet<string> identicalRows = new(StringComparer.Ordinal);

    private SignalFlow()
    {
    }

    public bool InputRowsIdentical { get; private init; }

    /// <summary>Every key row of attn.k is the same within its (batch, head), so each score row is constant over the keys.</summary>
    public bool KeyRowsIdentical { get; private set; }

    /// <summary>Every probability row is exactly uniform over the valid keys, whatever the score scale.</summary>
    public bool ProbsUniform { get; private set; }

    /// <summary>Every head's D-wide block of attn.context holds the same numbers.</summary>
    public bool ContextHeadsIdentical { get; private set; }

    public bool HasPadding { get; private init; }

    public bool IsConstant(string tensor) => constant.Contains(tensor);

    public bool HasIdenticalRows(string tensor) => identicalRows.Contains(tensor);

    /// <summary>Tensors that are constant or have identical token rows, in dataflow order.</summary>
    public IReadOnlyList<string> Degenerate => DataflowOrder.Where(identicalRows.Contains).ToList();

    /// <summary>Traces <paramref name="scenario"/>; with <paramref name="withOverrides"/> false, as if no activation were overridden.</summary>
    public static SignalFlow Trace(ScenarioInstance scenario, bool withOverrides)
    {
        var mask = scenario.Inputs.AttentionMask;
        var flow = new SignalFlow
        {
            InputRowsIdentical = ValueProbe.TokenRowsIdentical(scenario.Inputs.Hidden, scenario.Shape),
            HasPadding = mask is not null && mask.Data.Any(v => v != 0),
        };
        flow.Run(scenario, withOverrides ? scenario.ActivationOverrides.Keys.ToHashSet(StringComparer.Ordinal) : []);
        return flow;
    }

    private void Run(ScenarioInstance s, HashSet<string> overridden)
    {
        bool Over(string t) => overridden.Contains(t) || (t is AttnQ or AttnK or AttnV && overridden.Contains(AttnQkv));
        double OverrideValue(string t) => s.ActivationOverrides.TryGetValue(t, out var c) ? c : s.ActivationOverrides.GetValueOrDefault(AttnQkv);
        var w = s.Weights;
        if (InputRowsIdentical)
        {
            Mark(Input, ValueProbe.IsConstant(s.Inputs.Hidden), true);
        }

        var q = Projection.Of(s, w.QueryWeight, w.QueryBias, Over(AttnQ), OverrideValue(AttnQ), InputRowsIdentical);
        var k = Projection.Of(s, w.KeyWeight, w.KeyBias, Over(AttnK), OverrideValue(AttnK), InputRowsIdentical);
        var v = Projection.Of(s, w.ValueWeight, w.ValueBias, Over(AttnV), OverrideValue(AttnV), InputRowsIdentical);
        Mark(AttnQ, q.Constant, q.RowsIdentical);
        Mark(AttnK, k.Constant, k.RowsIdentical);
        Mark(AttnV, v.Constant, v.RowsIdentical);
        var qkvConstant = q.Value is { } qv && k.Value == qv && v.Value == qv;
        Mark(AttnQkv, Over(AttnQkv) || qkvConstant, Over(AttnQkv) || (q.RowsIdentical && k.RowsIdentical && v.RowsIdentical));

        // Scores: query rows follow Q; constancy along the keys follows K.
        var rawOver = Over(AttnScoresRaw);
        var rawConstant = rawOver || (q.Constant && k.Constant);
        var rawRows = rawOver || q.RowsIdentical;
        var rawAlongKeys = rawOver || k.RowsIdentical;
        Mark(AttnScoresRaw, rawConstant, rawRows);

        var scoresOver = Over(AttnScores);
        var scoresConstant = scoresOver || (rawConstant && !HasPadding);
        var scoresAlongKeys = scoresOver || rawAlongKeys;
        Mark(AttnScores, scoresConstant, scoresOver || rawRows);
        Mark(AttnSoftmaxRowSum, Over(AttnSoftmaxRowSum) || scoresConstant, Over(AttnSoftmaxRowSum) || scoresOver || rawRows);

        KeyRowsIdentical = k.RowsIdentical;
        var probsOver = Over(AttnProbs);
        ProbsUniform = scoresAlongKeys && !probsOver;
        var probsConstant = probsOver || (ProbsUniform && !HasPadding);
        var probsRows = probsOver || ProbsUniform || scoresOver || rawRows;
        Mark(AttnProbs, probsConstant, probsRows);

        // Every probability row sums to the same number (1, or S·c when overridden), so a constant V gives a constant
        // context and V rows identical give context rows equal to that V row.
        var probsSameInEveryHead = probsConstant || ProbsUniform || scoresConstant || (q.HeadPeriodic && k.HeadPeriodic);
        var contextOver = Over(AttnContext);
        ContextHeadsIdentical = contextOver || (v.HeadPeriodic && (v.RowsIdentical || probsSameInEveryHead));
        Mark(AttnContext, contextOver || v.Constant, contextOver || v.RowsIdentical || probsRows);

        MarkRowwise(AttnDense, Over, HasIdenticalRows(AttnContext));
        var attnResidualRows = HasIdenticalRows(AttnDense) && InputRowsIdentical;
        MarkRowwise(AttnLnSum, Over, attnResidualRows);
        MarkRowwise(AttnLnSumSq, Over, attnResidualRows);
        MarkRowwise(AttnOutput, Over, attnResidualRows);
        MarkRowwise(FfnFc1Linear, Over, HasIdenticalRows(AttnOutput));
        MarkRowwise(FfnFc1, Over, HasIdenticalRows(FfnFc1Linear));
        MarkRowwise(FfnFc2Linear, Over, HasIdenticalRows(FfnFc1));
        var ffnResidualRows = HasIdenticalRows(FfnFc2Linear) && HasIdenticalRows(AttnOutput);
        MarkRowwise(FfnLnSum, Over, ffnResidualRows);
        MarkRowwise(FfnLnSumSq, Over, ffnResidualRows);
        MarkRowwise(Output, Over, ffnResidualRows);
    }

    private void MarkRowwise(string tensor, Func<string, bool> over, bool rowsFromUpstream) =>
        Mark(tensor, over(tensor), over(tensor) || rowsFromUpstream);

    // Invariant: a constant tensor is also recorded as having identical rows.
    private void Mark(string tensor, bool isConstant, bool rowsIdentical)
    {
        if (isConstant)
        {
            constant.Add(tensor);
        }

        if (isConstant || rowsIdentical)
        {
            identicalRows.Add(tensor);
        }
    }

    /// <summary>What is known about one of Q, K, V: whole tensor constant (with its value), rows identical, every head the same.</summary>
    private sealed record Projection(bool Constant, double? Value, bool RowsIdentical, bool HeadPeriodic)
    {
        public static Projection Of(ScenarioInstance s, HostTensor weight, HostTensor bias, bool overridden, double overrideValue, bool inputRowsIdentical)
        {
            if (overridden)
            {
                return new Projection(true, overrideValue, true, true);
            }

            var shape = s.Shape;
            var useBias = s.Semantics.UseBiases;
            if (!inputRowsIdentical)
            {
                return new Projection(false, null, false, ValueProbe.ProjectionHeadPeriodic(weight, bias, useBias, shape.Heads, shape.HeadSize));
            }

            // Identical input rows give identical projected rows: compute the one row per batch exactly.
            var rows = new double[shape.Batch * shape.Model];
            var headPeriodic = true;
            for (var b = 0; b < shape.Batch; b++)
            {
                var x = s.Inputs.Hidden.Data.AsSpan(b * shape.Sequence * shape.Model, shape.Model);
                var y = ValueProbe.Project(weight, bias, useBias, x);
                headPeriodic &= ValueProbe.HeadBlocksEqual(y, shape.Heads, shape.HeadSize);
                y.CopyTo(rows, b * shape.Model);
            }

            var isConstant = ValueProbe.IsConstant(rows);
            return new Projection(isConstant, isConstant ? rows[0] : null, true, headPeriodic);
        }
    }
}
