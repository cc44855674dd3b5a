namespace Harness.Diagnosis.Hypotheses;

/// <summary>Per GEMM: the nn.Linear weight used as stored, x·W instead of x·Wᵀ (only possible for a square weight).</summary>
public sealed class WeightUntransposedHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members => Gemm.All.Select(g => new WeightUntransposed(g));

    private sealed class WeightUntransposed(Gemm gemm) : IHypothesis
    {
        public string Name => HypothesisNames.WeightUntransposed(gemm);

        public HypothesisDescription Description => new WeightUntransposedDescription(gemm);

        public IReadOnlyList<string> Tensors => gemm.Tensors;

        public Applicability AppliesTo(HypothesisSubject subject)
        {
            if (subject.Stage.Name != gemm.Stage)
            {
                return Applicability.No($"concerns {gemm.Stage}");
            }

            var w = gemm.WeightsOf(subject.Weights)[0];
            return w.Shape[0] == w.Shape[1]
                ? Applicability.Yes
                : Applicability.No($"the {gemm.Label} weight is {w.ShapeText}, not square: used untransposed it would not fit the GEMM");
        }

        public StageAlternative Alternative(HypothesisSubject subject) => new(subject.Semantics, gemm.MapWeights(subject.Weights, HostTensors.Transposed));
    }
}
