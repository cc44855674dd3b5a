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
    private const string MustNotCompare = "the two runs test different things and their numbers must not be compared";

    public static Comparability Compare(ScenarioInstance a, ScenarioInstance b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (la, lb) = Labels(a, b);
        var sameShape = a.Shape == b.Shape;
        var differences = new List<string>();
        if (!sameShape)
        {
            differences.Add($"shape: {la} runs {a.Shape}; {lb} runs {b.Shape}");
        }

        if (a.Dtype != b.Dtype)
        {
            differences.Add($"dtype: {la} runs {a.Dtype.DumpName()}; {lb} runs {b.Dtype.DumpName()}");
        }

        differences.AddRange(ScenarioWording.SemanticsPoints(a.Semantics, b.Semantics)
            .Select(p => $"semantics: {la} ({a.Semantics.Name}) has {p.Point} {p.A}; {lb} ({b.Semantics.Name}) has {p.Point} {p.B}"));
        if (a.AccumulationGroup != b.AccumulationGroup)
        {
            differences.Add($"fp16 accumulation group: {la} {Group(a)}; {lb} {Group(b)}");
        }

        differences.AddRange(InputDifferences(a, b, la, lb, sameShape));
        differences.AddRange(WeightAndActivationDifferences(a, b, la, lb, sameShape));
        differences.AddRange(ToleranceDifferences(a, b, la, lb));
        return new Comparability(differences.Count == 0, differences);
    }

    private static (string A, string B) Labels(ScenarioInstance a, ScenarioInstance b) =>
        a.Name != b.Name ? (a.Name, b.Name)
        : a.Scenario.Source != b.Scenario.Source ? ($"{a.Name} ({a.Scenario.Source})", $"{b.Name} ({b.Scenario.Source})")
        : ($"{a.Name} (first run)", $"{b.Name} (second run)");

    private static string Group(ScenarioInstance s) => s.AccumulationGroup is { } k ? $"sets k = {k}" : "leaves it unset";

    private static IEnumerable<string> InputDifferences(ScenarioInstance a, ScenarioInstance b, string la, string lb, bool sameShape)
    {
        var (ia, ib) = (ScenarioWording.Input(a.Scenario), ScenarioWording.Input(b.Scenario));
        if (sameShape ? !SameValues(a.Inputs.Hidden, b.Inputs.Hidden) : ia != ib)
        {
            yield return ia == ib
                ? $"input: both use {ia} but the values differ"
                : $"input: {la} uses {ia}; {lb} uses {ib}";
        }

        var (ma, mb) = (a.Inputs.AttentionMask, b.Inputs.AttentionMask);
        var masksDiffer = sameShape
            ? (ma is null) != (mb is null) || (ma is not null && mb is not null && !SameValues(ma, mb))
            : ScenarioWording.Padding(a) != ScenarioWording.Padding(b);
        if (masksDiffer)
        {
            yield return $"padding: {la} has {ScenarioWording.Padding(a)}; {lb} has {ScenarioWording.Padding(b)}";
        }
    }

    private static IEnumerable<string> WeightAndActivationDifferences(ScenarioInstance a, ScenarioInstance b, string la, string lb, bool sameShape)
    {
        var differing = LayerParameter.All
            .Where(p => sameShape ? !SameValues(p.Get(a.Weights), p.Get(b.Weights)) : ParameterOrigin.Of(a, p) != ParameterOrigin.Of(b, p))
            .ToList();
        var onlyA = OverridesNotIn(a, b);
        var onlyB = OverridesNotIn(b, a);
        var lines = new List<string>();

        // The seed case: one run sets a stage's weights, the other leaves them and overrides the stage's output instead.
        lines.AddRange(Crossed(a, b, la, lb, differing, onlyB));
        lines.AddRange(Crossed(b, a, lb, la, differing, onlyA));

        foreach (var group in differing.GroupBy(p => (A: ParameterOrigin.Of(a, p), B: ParameterOrigin.Of(b, p))))
        {
            var words = LayerParameter.JoinWords(group.ToList());
            lines.Add(group.Key.A == group.Key.B
                ? $"weights: both take {words} {group.Key.A.Text} but the values differ"
                : $"weights: {la} {group.Key.A.Phrase(words)}; {lb} {group.Key.B.Phrase(words)}");
        }

        if (onlyA.Count > 0 || onlyB.Count > 0)
        {
            lines.Add($"activations: {la} {Overrides(a, onlyA)}; {lb} {Overrides(b, onlyB)}");
        }

        return lines;
    }

    /// <summary>
    /// Parameters that <paramref name="setter"/> sets while <paramref name="other"/> leaves them and overrides what they
    /// produce. Both the parameters and the activations are removed from the lists, so each difference is told once.
    /// </summary>
    private static IEnumerable<string> Crossed(ScenarioInstance setter, ScenarioInstance other, string ls, string lo, List<LayerParameter> differing, List<string> otherOnly)
    {
        var crossed = differing
            .Where(p => otherOnly.Contains(p.Produces) && ParameterOrigin.Of(setter, p).SetByScenario && !ParameterOrigin.Of(other, p).SetByScenario)
            .ToList();
        var lines = new List<string>();
        foreach (var group in crossed.GroupBy(p => ParameterOrigin.Of(other, p)))
        {
            var set = group.GroupBy(p => ParameterOrigin.Of(setter, p)).Select(g => $"{LayerParameter.JoinWords(g.ToList())} {g.Key.Text}");
            var tensors = otherOnly.Where(t => group.Any(p => p.Produces == t)).ToList();
            lines.Add($"{ls} sets {string.Join(" and ", set)}; {lo} leaves those weights {group.Key.Text} and instead overrides "
                + $"activations {ActivationOverrideRules.Assignments(other, tensors)} — {MustNotCompare}");
            differing.RemoveAll(group.Contains);
        }

        otherOnly.RemoveAll(t => crossed.Any(p => p.Produces == t));
        return lines;
    }

    /// <summary>Overridden activations of <paramref name="s"/> that <paramref name="other"/> does not override to the same value, in dataflow order.</summary>
    private static List<string> OverridesNotIn(ScenarioInstance s, ScenarioInstance other) =>
        s.ActivationOverrides
            .Where(o => !other.ActivationOverrides.TryGetValue(o.Key, out var v) || v != o.Value)
            .Select(o => o.Key)
            .OrderBy(TensorNames.OrderOf)
            .ToList();

    private static string Overrides(ScenarioInstance s, List<string> tensors) =>
        tensors.Count == 0 ? "overrides no activation" : $"overrides {ActivationOverrideRules.Assignments(s, tensors)}";

    private static IEnumerable<string> ToleranceDifferences(ScenarioInstance a, ScenarioInstance b, string la, string lb)
    {
        foreach (var name in a.Tolerances.Keys.Union(b.Tolerances.Keys).OrderBy(TensorNames.OrderOf))
        {
            var (ta, tb) = (Tolerance(a, name), Tolerance(b, name));
            if (ta != tb)
            {
                yield return $"tolerance {name}: {la} {ta}; {lb} {tb}";
            }
        }
    }

    private static string Tolerance(ScenarioInstance s, string name) => s.Tolerances.TryGetValue(name, out var t)
        ? $"atol {ValueSourceTensors.Format(t.Atol)}, rtol {ValueSourceTensors.Format(t.Rtol)}"
        : "the default";

    private static bool SameValues(HostTensor x, HostTensor y) => x.ShapeEquals(y.Shape) && x.Data.AsSpan().SequenceEqual(y.Data);
}
