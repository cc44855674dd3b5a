using Harness.Model;
using Harness.Scenarios;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Plain-words descriptions of what a scenario sets, for comparability messages.</summary>
internal static class ScenarioWording
{
    public static string Input(Scenario s) => s.Input switch
    {
        GeneratedInput { Values: ConstantValues c } => $"input := {ValueSourceTensors.Format(c.Value)}",
        GeneratedInput { Values: RandomValues r } => $"random input N(0, {ValueSourceTensors.Format(r.Std)}²) seed {r.Seed}",
        GeneratedInput { Values: PatternValues p } => $"pattern input {p.Pattern}",
        FileInput f => $"input from '{f.Path}' tensor '{f.Tensor}'",
        TextInput t => $"text input \"{t.Text}\"",
        _ => s.Input.ToString(),
    };

    public static string Padding(ScenarioInstance s) => s.Scenario.ValidLength switch
    {
        null => "no mask",
        { } v when v < s.Shape.Sequence => $"{v} of {s.Shape.Sequence} keys valid",
        _ => $"a mask with all {s.Shape.Sequence} keys valid",
    };

    /// <summary>The semantics points in which <paramref name="a"/> and <paramref name="b"/> differ: (point, value in a, value in b).</summary>
    public static IEnumerable<(string Point, string A, string B)> SemanticsPoints(LayerSemantics a, LayerSemantics b)
    {
        var points = new (string Point, Func<LayerSemantics, string> Get)[]
        {
            ("biases", x => x.UseBiases ? "added" : "treated as zero"),
            ("score scale", x => x.ScoreScale.ToString()),
            ("softmax", x => x.Softmax.ToString()),
            ("activation", x => x.Activation.ToString()),
            ("LayerNorm", x => x.LayerNorm.ToString()),
            ("LayerNorm eps", x => ValueSourceTensors.Format(x.LayerNormEps)),
            ("eps placement", x => x.EpsPlacement.ToString()),
            ("residual adds", x => x.ResidualInFp16 ? "in fp16" : "in the working dtype"),
            ("GEMM accumulation", x => x.Accumulation.ToString()),
        };
        foreach (var (point, get) in points)
        {
            if (get(a) != get(b))
            {
                yield return (point, get(a), get(b));
            }
        }
    }
}
