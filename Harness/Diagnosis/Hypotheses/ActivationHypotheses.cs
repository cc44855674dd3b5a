using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The FFN activation replaced: ReLU, GELU (erf form) or GELU (tanh approximation).</summary>
public sealed class ActivationHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (Activation Activation, string Name, string Description)[]
        {
            (Activation.Relu, "activation ReLU", "ReLU instead of the reference's activation"),
            (Activation.GeluErf, "activation GELU erf", "GELU in its exact erf form"),
            (Activation.GeluTanh, "activation GELU tanh", "GELU in its tanh approximation"),
        }.Select(x => new SemanticsHypothesis(x.Name, x.Description, ["Activation"], [FfnFc1], (s, _) => s with { Activation = x.Activation }));
}
