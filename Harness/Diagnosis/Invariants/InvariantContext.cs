using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>What the reference-free checks need to know about the layer that produced the tensors.</summary>
public sealed record InvariantContext
{
    /// <summary>The FFN activation; the ReLU checks run only when this is <see cref="Model.Activation.Relu"/>.</summary>
    public Activation? Activation { get; init; }

    /// <summary>Affine of the LayerNorm producing attn.output; null when unknown (the LayerNorm checks are then not applicable).</summary>
    public LayerNormAffine? AttentionLayerNorm { get; init; }

    /// <summary>Affine of the LayerNorm producing output.</summary>
    public LayerNormAffine? OutputLayerNorm { get; init; }

    public double LayerNormEps { get; init; } = 1e-12;

    public EpsPlacement EpsPlacement { get; init; } = EpsPlacement.InsideRoot;

    /// <summary>Whether the residual x = a + b was rounded to fp16 before Σx, Σx² were taken (Souffle).</summary>
    public bool ResidualInFp16 { get; init; }

    /// <summary>Multiplies every tolerance; 1 is the documented default (see <see cref="InvariantTolerances"/>).</summary>
    public double ToleranceScale { get; init; } = 1.0;

    /// <summary>The context a layer with <paramref name="semantics"/> implies; per-channel affines need <paramref name="weights"/>.</summary>
    public static InvariantContext FromSemantics(LayerSemantics semantics, LayerWeights? weights = null)
    {
        ArgumentNullException.ThrowIfNull(semantics);
        return new InvariantContext
        {
            Activation = semantics.Activation,
            AttentionLayerNorm = Affine(semantics, weights, w => (w.AttentionLayerNormGamma, w.AttentionLayerNormBeta)),
            OutputLayerNorm = Affine(semantics, weights, w => (w.OutputLayerNormGamma, w.OutputLayerNormBeta)),
            LayerNormEps = semantics.LayerNormEps,
            EpsPlacement = semantics.EpsPlacement,
            ResidualInFp16 = semantics.ResidualInFp16,
        };
    }

    /// <summary>Throws one clear error naming the first field that cannot be used for width <paramref name="model"/>.</summary>
    public void Validate(int model)
    {
        if (!double.IsFinite(LayerNormEps) || LayerNormEps < 0)
        {
            throw new ArgumentException($"invariant context: LayerNormEps must be finite and ≥ 0, got {LayerNormEps}");
        }

        if (!double.IsFinite(ToleranceScale) || ToleranceScale <= 0)
        {
            throw new ArgumentException($"invariant context: ToleranceScale must be finite and > 0, got {ToleranceScale}");
        }

        AttentionLayerNorm?.Validate("invariant context: AttentionLayerNorm", model);
        OutputLayerNorm?.Validate("invariant context: OutputLayerNorm", model);
    }

    private static LayerNormAffine? Affine(LayerSemantics semantics, LayerWeights? weights, Func<LayerWeights, (HostTensor Gamma, HostTensor Beta)> pick) =>
        semantics.LayerNorm switch
        {
            LayerNormStyle.NoAffine => LayerNormAffine.Identity,
            LayerNormStyle.ScalarAffineFromSums => LayerNormAffine.Scalar(weights?.LayerNormScalarGamma ?? 1.0, weights?.LayerNormScalarBeta ?? 0.0),
            _ when weights is null => null,
            _ => LayerNormAffine.PerChannel(pick(weights).Gamma.Data, pick(weights).Beta.Data),
        };
}
