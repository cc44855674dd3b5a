using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The FFN activation replaced: ReLU, GELU (erf form) or GELU (tanh approximation).</summary>
public sealed class ActivationHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (Activation Activation, string Name, string Description)[]
        {
            (Activation.Relu, HypothesisNames.ActivationRelu, "ReLU instead of the reference's activation"),
            (Activation.GeluErf, HypothesisNames.ActivationGeluErf, "GELU in its exact erf form"),
            (Activation.GeluTanh, HypothesisNames.ActivationGeluTanh, "GELU in its tanh approximation"),
        }.Select(x => new SemanticsHypothesis(x.Name, x.Description, [StageNames.Activation], [FfnFc1], (s, _) => s with { Activation = x.Activation }));
}
