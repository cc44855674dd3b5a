namespace Harness.Diagnosis.Hypotheses;

/// <summary>Per GEMM: its bias never added.</summary>
public sealed class BiasMissingHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members => Gemm.All.Select(g => new BiasMissing(g));

    private sealed class BiasMissing(Gemm gemm) : IHypothesis
    {
        public string Name => HypothesisNames.BiasMissing(gemm);

        public HypothesisDescription Description => new BiasMissingDescription(gemm);

        public IReadOnlyList<string> Tensors => gemm.Tensors;

        public Applicability AppliesTo(HypothesisSubject subject)
        {
            if (subject.Stage.Name != gemm.Stage)
            {
                return Applicability.No($"concerns {gemm.Stage}");
            }

            if (!subject.Semantics.UseBiases)
            {
                return Applicability.No($"the reference semantics ({subject.Semantics.Name}) adds no biases");
            }

            return gemm.BiasesOf(subject.Weights).All(b => b.Data.All(x => x == 0))
                ? Applicability.Unshowable(new ZeroBiasesReason(gemm))
                : Applicability.Yes;
        }

        public StageAlternative Alternative(HypothesisSubject subject) =>
            new(subject.Semantics, gemm.MapBiases(subject.Weights, b => HostTensors.Zeros(b)));
    }
}
