using Harness.Diagnosis;
using Harness.Diagnosis.Scenarios;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Reporting;

/// <summary>The words of a scenario comparison: the notes a report gives under "Comparability", one line per difference.</summary>
public static class ComparabilityText
{
    private const string MustNotCompare = "the two runs test different things and their numbers must not be compared";

    /// <summary>The report's notes: one line when the runs are comparable, else a heading and every difference.</summary>
    public static IReadOnlyList<string> Notes(Comparability comparability)
    {
        ArgumentNullException.ThrowIfNull(comparability);
        var (a, b) = (comparability.A.Name, comparability.B.Name);
        return comparability.Comparable
            ? [$"{a} and {b} set the same things: their numbers are comparable"]
            : [$"{a} and {b} are NOT comparable:", .. Lines(comparability)];
    }

    public static IReadOnlyList<string> Lines(Comparability comparability)
    {
        ArgumentNullException.ThrowIfNull(comparability);
        var (la, lb) = (Label(comparability.A), Label(comparability.B));
        return comparability.Differences.Select(d => Line(d, la, lb)).ToList();
    }

    public static string Label(RunLabel run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Source is { } source ? $"{run.Name} ({source})"
            : run.Run is { } n ? $"{run.Name} ({(n == 1 ? "first" : "second")} run)"
            : run.Name;
    }

    private static string Line(ScenarioDifference difference, string la, string lb) => difference switch
    {
        ShapeDifference d => $"shape: {la} runs {d.A}; {lb} runs {d.B}",
        DtypeDifference d => $"dtype: {la} runs {d.A.DumpName()}; {lb} runs {d.B.DumpName()}",
        SemanticsDifference d =>
            $"semantics: {la} ({d.A.Name}) has {SemanticsPointText.Name(d.Point)} {SemanticsPointText.Value(d.Point, d.A)}; {lb} ({d.B.Name}) has {SemanticsPointText.Name(d.Point)} {SemanticsPointText.Value(d.Point, d.B)}",
        AccumulationGroupDifference d => $"fp16 accumulation group: {la} {Group(d.A)}; {lb} {Group(d.B)}",
        InputDifference d => d.A == d.B
            ? $"input: both use {Input(d.A)} but the values differ"
            : $"input: {la} uses {Input(d.A)}; {lb} uses {Input(d.B)}",
        PaddingDifference d => $"padding: {la} has {Padding(d.A)}; {lb} has {Padding(d.B)}",
        WeightsVersusActivations d => Crossed(d, d.FirstSets ? la : lb, d.FirstSets ? lb : la),
        WeightsDiffer d => Weights(d, la, lb),
        ActivationsDiffer d => $"activations: {la} {Overrides(d.A)}; {lb} {Overrides(d.B)}",
        ToleranceDifference d => $"tolerance {d.Tensor}: {la} {Tolerance(d.A)}; {lb} {Tolerance(d.B)}",
        _ => throw new ArgumentOutOfRangeException(nameof(difference), difference.GetType().Name, "a difference without words"),
    };

    /// <summary>Where a parameter's values came from: ":= 0.01", "from synthetic weights seed 1 (no checkpoint)".</summary>
    public static string Origin(ParameterOrigin origin) => origin switch
    {
        ZeroedBiases => ":= 0 (all biases zeroed)",
        ScenarioValues v => ValueSourceTensors.Describe(v.Source),
        CheckpointLayer c => $"from the checkpoint '{c.Path}' layer {c.Layer}",
        SyntheticSeed { NoCheckpoint: true } w => $"from synthetic weights seed {w.Seed} (no checkpoint)",
        SyntheticSeed w => $"from synthetic weights seed {w.Seed}",
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin.GetType().Name, "an origin without words"),
    };

    /// <summary>"attn.q, attn.k, attn.v := 0.01" when the values agree, otherwise one assignment each.</summary>
    public static string Assignments(IReadOnlyList<ActivationOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var values = overrides.Select(o => o.Value).Distinct().ToList();
        return values.Count == 1
            ? $"{string.Join(", ", overrides.Select(o => o.Tensor))} := {ValueSourceTensors.Format(values[0])}"
            : string.Join(", ", overrides.Select(o => $"{o.Tensor} := {ValueSourceTensors.Format(o.Value)}"));
    }

    private static string Crossed(WeightsVersusActivations d, string setter, string other)
    {
        var set = d.Set.Select(s => $"{LayerParameterText.Join(s.Parameters)} {Origin(s.Origin)}");
        return $"{setter} sets {string.Join(" and ", set)}; {other} leaves those weights {Origin(d.LeftAs)} and instead overrides "
            + $"activations {Assignments(d.Overrides)} — {MustNotCompare}";
    }

    private static string Weights(WeightsDiffer d, string la, string lb)
    {
        var words = LayerParameterText.Join(d.Parameters);
        return d.A == d.B
            ? $"weights: both take {words} {Origin(d.A)} but the values differ"
            : $"weights: {la} {Phrase(d.A, words)}; {lb} {Phrase(d.B, words)}";
    }

    private static string Phrase(ParameterOrigin origin, string words) => $"{(origin.SetByScenario ? "sets" : "takes")} {words} {Origin(origin)}";

    private static string Overrides(IReadOnlyList<ActivationOverride> overrides) =>
        overrides.Count == 0 ? "overrides no activation" : $"overrides {Assignments(overrides)}";

    private static string Group(int? k) => k is { } g ? $"sets k = {g}" : "leaves it unset";

    private static string Tolerance((double Atol, double Rtol)? t) => t is { } v
        ? $"atol {ValueSourceTensors.Format(v.Atol)}, rtol {ValueSourceTensors.Format(v.Rtol)}"
        : "the default";

    private static string Input(InputSpec input) => input switch
    {
        GeneratedInput { Values: ConstantValues c } => $"input := {ValueSourceTensors.Format(c.Value)}",
        GeneratedInput { Values: RandomValues r } => $"random input N(0, {ValueSourceTensors.Format(r.Std)}²) seed {r.Seed}",
        GeneratedInput { Values: PatternValues p } => $"pattern input {p.Pattern}",
        FileInput f => $"input from '{f.Path}' tensor '{f.Tensor}'",
        TextInput t => $"text input \"{t.Text}\"",
        _ => input.ToString(),
    };

    private static string Padding(KeyPadding p) =>
        !p.Masked ? "no mask"
        : p.ValidKeys < p.Sequence ? $"{p.ValidKeys} of {p.Sequence} keys valid"
        : $"a mask with all {p.Sequence} keys valid";
}
