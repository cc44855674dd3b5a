using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Identical token rows: every position computes the same thing, so nothing that depends on position can show.</summary>
internal static class TokenRowRules
{
    public static IEnumerable<BlindSpot> Find(ScenarioInstance s, SignalFlow flow)
    {
        if (!flow.InputRowsIdentical)
        {
            yield break;
        }

        var defects = new List<HiddenDefect>
        {
            new(DefectKind.TokenRowsReordered),
            new(DefectKind.QueryOrKeyRowsPermuted),
            new(DefectKind.MaskAtWrongKeyPositions),
            new(DefectKind.ContextRowFromAnotherQuery),
            new(DefectKind.LayerNormStatisticsFromAnotherRow),
            new(DefectKind.ResidualFromAnotherRow),
        };
        if (s.Facts.InputIsConstant && s.Shape.Batch > 1)
        {
            defects.Add(new(DefectKind.BatchRowsSwapped));
        }

        yield return new BlindSpot(
            BlindSpotCodes.IdenticalTokenRows,
            new IdenticalTokenRowsCause(s.Facts.InputIsConstant ? s.Inputs.Hidden.Data[0] : null, flow.Degenerate),
            defects,
            flow.Degenerate);
    }
}
