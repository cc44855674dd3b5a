using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The FFN activation replaced: ReLU, GELU (erf form) or GELU (tanh approximation).</summary>
public sealed class ActivationHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members =>
        new (Activation Activation, string Name)[]
        {
            (Activation.Relu, HypothesisNames.ActivationRelu),
            (Activation.GeluErf, HypothesisNames.ActivationGeluErf),
            (Activation.GeluTanh, HypothesisNames.ActivationGeluTanh),
        }.Select(x => new SemanticsHypothesis(x.Name, new ActivationDescription(x.Activation), [StageNames.Activation], [FfnFc1], (s, _) => s with { Activation = x.Activation }));
}
