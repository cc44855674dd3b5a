using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Says what a scenario could not have detected, from its values (ScenarioFacts and the tensors), never from its name:
/// a kernel that agrees with the reference on a blind spot's tensors may still have the defects it lists.
/// </summary>
public static class BlindSpotAnalyzer
{
    /// <summary>
    /// Every rule, listed by hand in the order its blind spots are reported: the same registration style as the
    /// hypotheses (<see cref="Hypotheses.HypothesisCatalog"/>). A new rule class is added here; a test fails for one
    /// that is defined but not listed.
    /// </summary>
    private static readonly Func<ScenarioInstance, SignalFlow, IEnumerable<BlindSpot>>[] Rules =
    [
        TokenRowRules.Find,
        AttentionRules.Find,
        WeightLayoutRules.Find,
        BiasRules.Find,
        LayerNormRules.Find,
        ActivationOverrideRules.Find,
        MaskRules.Find,
        ShapeRules.Find,
    ];

    /// <summary>Every blind spot of <paramref name="scenario"/>, in rule order; throws ArgumentException naming the scenario and tensor when the instance is inconsistent.</summary>
    public static IReadOnlyList<BlindSpot> Analyze(ScenarioInstance scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Validate(scenario);
        var flow = SignalFlow.Trace(scenario, withOverrides: true);
        return Rules.SelectMany(rule => rule(scenario, flow)).ToList();
    }

    private static void Validate(ScenarioInstance s)
    {
        try
        {
            s.Shape.Validate();
            s.Weights.Validate(s.Shape);
            var expected = TensorNames.ShapeOf(TensorNames.Input, s.Shape);
            if (!s.Inputs.Hidden.ShapeEquals(expected))
            {
                throw new ArgumentException($"tensor '{TensorNames.Input}' has shape {s.Inputs.Hidden.ShapeText}, expected [{string.Join(", ", expected)}]");
            }

            if (s.Inputs.AttentionMask is { } mask && !mask.ShapeEquals(s.Shape.Batch, s.Shape.Sequence))
            {
                throw new ArgumentException($"attention mask has shape {mask.ShapeText}, expected [{s.Shape.Batch}, {s.Shape.Sequence}]");
            }

            foreach (var name in s.ActivationOverrides.Keys)
            {
                TensorNames.OrderOf(name);
            }
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"scenario '{s.Name}' cannot be analysed: {e.Message}", nameof(s), e);
        }
    }
}
