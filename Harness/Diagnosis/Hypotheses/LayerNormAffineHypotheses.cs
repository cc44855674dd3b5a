using Harness.Model;
using Harness.Reference;
using Harness.Torch;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>LayerNorm's affine step skipped, or done with the scalar gamma and beta instead of the per-channel ones.</summary>
public sealed class LayerNormAffineHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members => [new NoAffine(), new ScalarAffine()];

    private static (HostTensor Gamma, HostTensor Beta) AffineOf(HypothesisSubject s) => s.Stage.Name == StageNames.AttentionAddAndNorm
        ? (s.Weights.AttentionLayerNormGamma, s.Weights.AttentionLayerNormBeta)
        : (s.Weights.OutputLayerNormGamma, s.Weights.OutputLayerNormBeta);

    private static bool IsIdentity(HypothesisSubject s)
    {
        if (s.Semantics.LayerNorm == LayerNormStyle.ScalarAffineFromSums)
        {
            return s.Weights.LayerNormScalarGamma == 1 && s.Weights.LayerNormScalarBeta == 0;
        }

        var (gamma, beta) = AffineOf(s);
        return gamma.Data.All(g => g == 1) && beta.Data.All(b => b == 0);
    }

    private sealed class NoAffine : IHypothesis
    {
        public string Name => HypothesisNames.LayerNormWithoutAffine;

        public HypothesisDescription Description => new LayerNormStyleDescription(LayerNormStyle.NoAffine);

        public IReadOnlyList<string> Tensors => LayerNormHypotheses.NormOutputs;

        public Applicability AppliesTo(HypothesisSubject subject)
        {
            if (!LayerNormHypotheses.Stages.Contains(subject.Stage.Name))
            {
                return Applicability.No("concerns the LayerNorm stages");
            }

            if (subject.Semantics.LayerNorm == LayerNormStyle.NoAffine)
            {
                return Applicability.No("the reference LayerNorm has no affine step");
            }

            return IsIdentity(subject)
                ? Applicability.Unshowable(new IdentityAffineReason(AffineSkipped: true))
                : Applicability.Yes;
        }

        public StageAlternative Alternative(HypothesisSubject subject) => new(subject.Semantics with { LayerNorm = LayerNormStyle.NoAffine }, subject.Weights);
    }

    private sealed class ScalarAffine : IHypothesis
    {
        public string Name => HypothesisNames.LayerNormScalarAffine;

        public HypothesisDescription Description => new ScalarAffineDescription();

        public IReadOnlyList<string> Tensors => LayerNormHypotheses.NormOutputs;

        public Applicability AppliesTo(HypothesisSubject subject)
        {
            if (!LayerNormHypotheses.Stages.Contains(subject.Stage.Name))
            {
                return Applicability.No("concerns the LayerNorm stages");
            }

            if (subject.Semantics.LayerNorm != LayerNormStyle.PerChannelAffine)
            {
                return Applicability.No("the reference LayerNorm has no per-channel affine to replace");
            }

            if (subject.Weights.LayerNormScalarGamma == 1 && subject.Weights.LayerNormScalarBeta == 0)
            {
                return Applicability.No($"the scalar gamma is 1 and beta 0: the same alternative as '{HypothesisNames.LayerNormWithoutAffine}'");
            }

            return IsIdentity(subject) ? Applicability.Unshowable(new IdentityAffineReason(AffineSkipped: false)) : Applicability.Yes;
        }

        public StageAlternative Alternative(HypothesisSubject subject)
        {
            var w = subject.Weights;
            var (g, b) = (w.LayerNormScalarGamma, w.LayerNormScalarBeta);
            var scalar = w with
            {
                AttentionLayerNormGamma = HostTensors.Filled(w.AttentionLayerNormGamma, g),
                AttentionLayerNormBeta = HostTensors.Filled(w.AttentionLayerNormBeta, b),
                OutputLayerNormGamma = HostTensors.Filled(w.OutputLayerNormGamma, g),
                OutputLayerNormBeta = HostTensors.Filled(w.OutputLayerNormBeta, b),
            };
            return new StageAlternative(subject.Semantics, scalar);
        }
    }
}
