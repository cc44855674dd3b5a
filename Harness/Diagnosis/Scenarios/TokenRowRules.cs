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

        var defects = new List<string>
        {
            "token rows read in another order (row permutation or wrong row stride)",
            "query rows or key rows swapped or permuted",
            "mask applied at the wrong key positions (cannot show after P·V)",
            "context row taken from another query position",
            "LayerNorm statistics (Σx, Σx²) taken from another token row",
            "residual added from another token row",
        };
        if (s.Facts.InputIsConstant && s.Shape.Batch > 1)
        {
            defects.Add("batch rows swapped or read from the wrong batch offset");
        }

        yield return new BlindSpot(
            BlindSpotCodes.IdenticalTokenRows,
            new IdenticalTokenRowsCause(s.Facts.InputIsConstant ? s.Inputs.Hidden.Data[0] : null, flow.Degenerate),
            defects,
            flow.Degenerate);
    }
}
