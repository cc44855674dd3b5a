using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>
/// Refuses to let two runs be compared when their scenarios set different things: shape, dtype, semantics, input,
/// padding, weights (seeds included, judged by the values), overridden activations, accumulation group, tolerances.
/// Names are irrelevant: two scenarios that set the same things are comparable whatever they are called.
/// </summary>
public static class ScenarioComparability
{
    public static Comparability Compare(ScenarioInstance a, ScenarioInstance b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var sameShape = a.Shape == b.Shape;
        var differences = new List<ScenarioDifference>();
        if (!sameShape)
        {
            differences.Add(new ShapeDifference(a.Shape, b.Shape));
        }

        if (a.Dtype != b.Dtype)
        {
            differences.Add(new DtypeDifference(a.Dtype, b.Dtype));
        }

        differences.AddRange(SemanticsPoints(a.Semantics, b.Semantics).Select(p => new SemanticsDifference(p, a.Semantics, b.Semantics)));
        if (a.AccumulationGroup != b.AccumulationGroup)
        {
            differences.Add(new AccumulationGroupDifference(a.AccumulationGroup, b.AccumulationGroup));
        }

        differences.AddRange(InputDifferences(a, b, sameShape));
        differences.AddRange(WeightAndActivationDifferences(a, b, sameShape));
        differences.AddRange(ToleranceDifferences(a, b));
        var (la, lb) = Labels(a, b);
        return new Comparability(la, lb, differences);
    }

    private static (RunLabel A, RunLabel B) Labels(ScenarioInstance a, ScenarioInstance b) =>
        a.Name != b.Name ? (new RunLabel(a.Name), new RunLabel(b.Name))
        : a.Scenario.Source != b.Scenario.Source ? (new RunLabel(a.Name, a.Scenario.Source), new RunLabel(b.Name, b.Scenario.Source))
        : (new RunLabel(a.Name, Run: 1), new RunLabel(b.Name, Run: 2));

    /// <summary>The semantics points in which <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    private static IEnumerable<SemanticsPointKind> SemanticsPoints(LayerSemantics a, LayerSemantics b)
    {
        var points = new (SemanticsPointKind Point, Func<LayerSemantics, object> Get)[]
        {
            (SemanticsPointKind.Biases, x => x.UseBiases),
            (SemanticsPointKind.ScoreScale, x => x.ScoreScale),
            (SemanticsPointKind.Softmax, x => x.Softmax),
            (SemanticsPointKind.Activation, x => x.Activation),
            (SemanticsPointKind.LayerNorm, x => x.LayerNorm),
            (SemanticsPointKind.LayerNormEps, x => x.LayerNormEps),
            (SemanticsPointKind.EpsPlacement, x => x.EpsPlacement),
            (SemanticsPointKind.ResidualAdd, x => x.ResidualInFp16),
            (SemanticsPointKind.Accumulation, x => x.Accumulation),
        };
        return points.Where(p => !Equals(p.Get(a), p.Get(b))).Select(p => p.Point);
    }

    private static IEnumerable<ScenarioDifference> InputDifferences(ScenarioInstance a, ScenarioInstance b, bool sameShape)
    {
        var (ia, ib) = (a.Scenario.Input, b.Scenario.Input);
        if (sameShape ? !SameValues(a.Inputs.Hidden, b.Inputs.Hidden) : ia != ib)
        {
            yield return new InputDifference(ia, ib);
        }

        var (ma, mb) = (a.Inputs.AttentionMask, b.Inputs.AttentionMask);
        var masksDiffer = sameShape
            ? (ma is null) != (mb is null) || (ma is not null && mb is not null && !SameValues(ma, mb))
            : KeyPadding.Of(a) != KeyPadding.Of(b);
        if (masksDiffer)
        {
            yield return new PaddingDifference(KeyPadding.Of(a), KeyPadding.Of(b));
        }
    }

    private static List<ScenarioDifference> WeightAndActivationDifferences(ScenarioInstance a, ScenarioInstance b, bool sameShape)
    {
        var differing = LayerParameter.All
            .Where(p => sameShape ? !SameValues(p.Get(a.Weights), p.Get(b.Weights)) : ParameterOrigin.Of(a, p) != ParameterOrigin.Of(b, p))
            .ToList();
        var onlyA = OverridesNotIn(a, b);
        var onlyB = OverridesNotIn(b, a);
        var differences = new List<ScenarioDifference>();

        // The seed case: one run sets a stage's weights, the other leaves them and overrides the stage's output instead.
        differences.AddRange(Crossed(a, b, firstSets: true, differing, onlyB));
        differences.AddRange(Crossed(b, a, firstSets: false, differing, onlyA));

        foreach (var group in differing.GroupBy(p => (A: ParameterOrigin.Of(a, p), B: ParameterOrigin.Of(b, p))))
        {
            differences.Add(new WeightsDiffer(group.ToList(), group.Key.A, group.Key.B));
        }

        if (onlyA.Count > 0 || onlyB.Count > 0)
        {
            differences.Add(new ActivationsDiffer(ActivationOverride.Of(a, onlyA), ActivationOverride.Of(b, onlyB)));
        }

        return differences;
    }

    /// <summary>
    /// Parameters that <paramref name="setter"/> sets while <paramref name="other"/> leaves them and overrides what they
    /// produce. Both the parameters and the activations are removed from the lists, so each difference is told once.
    /// </summary>
    private static List<WeightsVersusActivations> Crossed(ScenarioInstance setter, ScenarioInstance other, bool firstSets, List<LayerParameter> differing, List<string> otherOnly)
    {
        var crossed = differing
            .Where(p => otherOnly.Contains(p.Produces) && ParameterOrigin.Of(setter, p).SetByScenario && !ParameterOrigin.Of(other, p).SetByScenario)
            .ToList();
        var differences = new List<WeightsVersusActivations>();
        foreach (var group in crossed.GroupBy(p => ParameterOrigin.Of(other, p)))
        {
            var set = group.GroupBy(p => ParameterOrigin.Of(setter, p)).Select(g => new ParameterSet(g.ToList(), g.Key)).ToList();
            var tensors = otherOnly.Where(t => group.Any(p => p.Produces == t)).ToList();
            differences.Add(new WeightsVersusActivations(firstSets, set, group.Key, ActivationOverride.Of(other, tensors)));
            differing.RemoveAll(group.Contains);
        }

        otherOnly.RemoveAll(t => crossed.Any(p => p.Produces == t));
        return differences;
    }

    /// <summary>Overridden activations of <paramref name="s"/> that <paramref name="other"/> does not override to the same value, in dataflow order.</summary>
    private static List<string> OverridesNotIn(ScenarioInstance s, ScenarioInstance other) =>
        s.ActivationOverrides
            .Where(o => !other.ActivationOverrides.TryGetValue(o.Key, out var v) || v != o.Value)
            .Select(o => o.Key)
            .OrderBy(TensorNames.OrderOf)
            .ToList();

    private static IEnumerable<ToleranceDifference> ToleranceDifferences(ScenarioInstance a, ScenarioInstance b)
    {
        foreach (var name in a.Tolerances.Keys.Union(b.Tolerances.Keys).OrderBy(TensorNames.OrderOf))
        {
            var (ta, tb) = (Tolerance(a, name), Tolerance(b, name));
            if (ta != tb)
            {
                yield return new ToleranceDifference(name, ta, tb);
            }
        }
    }

    private static (double Atol, double Rtol)? Tolerance(ScenarioInstance s, string name) => s.Tolerances.TryGetValue(name, out var t) ? t : null;

    private static bool SameValues(HostTensor x, HostTensor y) => x.ShapeEquals(y.Shape) && x.Data.AsSpan().SequenceEqual(y.Data);
}
