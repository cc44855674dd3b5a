using Harness.Diagnosis.Scenarios;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Reporting;

/// <summary>The words of a blind spot: why a scenario cannot detect some defects, one sentence per cause.</summary>
public static class BlindSpotText
{
    public static string Description(BlindSpot spot)
    {
        ArgumentNullException.ThrowIfNull(spot);
        return Description(spot.Cause);
    }

    public static string Description(BlindSpotCause cause) => cause switch
    {
        IdenticalTokenRowsCause c => $"{(c.ConstantInput is { } v ? $"The input is constant ({F(v)} everywhere)" : "Every token row of the input is identical within its sequence")}, "
            + "so every token position computes the same numbers and anything that depends on which row is which cannot show; "
            + $"these tensors have identical token rows: {string.Join(", ", c.DegenerateTensors)}.",
        UniformSoftmaxCause c => $"{Scores(c.Source)}: each score row is constant over the keys, so the softmax is exactly uniform "
            + $"({(c.Sequence is { } s ? $"1/S = 1/{s}" : "1 over the number of valid keys")}) whatever the scale. "
            + "attn.probs and everything after it cannot show a scale or max-subtraction error; only attn.scores_raw, attn.scores "
            + "(and a variant's row sums, where they hold unnormalised exponentials) can show the scale.",
        IdenticalHeadsCause c => (c.ContextConstant
                ? "attn.context is constant"
                : "Every head computes the same values (the value projection repeats every D columns and every head attends alike)")
            + ", so every head's block of attn.context is the same and the order in which heads are split or merged cannot show.",
        ConstantWeightCause c => $"The {LayerParameterText.Words(c.Parameter)} are constant ({F(c.Value)}): read transposed, with rows or columns "
            + "permuted or with the wrong leading dimension they give the same numbers, so their layout is untested.",
        SymmetricWeightCause c =>
            $"The {LayerParameterText.Words(c.Parameter)} equal their own transpose, so a kernel that uses them transposed computes the same numbers.",
        BiasesUnusedCause c => $"The {c.Semantics} semantics treats every linear bias as zero, so the reference cannot tell a kernel "
            + "that adds the biases, ignores them or adds them at the wrong point.",
        ZeroBiasesCause c => $"The {LayerParameterText.Join(c.Biases)} are zero, so a kernel that never adds them, or adds them at the wrong "
            + "point, computes the same numbers.",
        ConstantBiasesCause c => $"The {LayerParameterText.Join(c.Biases)} are constant, so a kernel that indexes them by the wrong dimension "
            + "(per token instead of per channel) computes the same numbers.",
        LayerNormWithoutAffineCause c => $"The {c.Semantics} semantics normalises without an affine, so how a kernel applies gamma and beta is untested.",
        ConstantLayerNormAffineCause c => $"The {LayerParameterText.Noun(c.Gamma)} {ConstantAffine(c)}, so a kernel that gets its affine wrong in these ways computes the same numbers.",
        ScalarLayerNormAffineCause c => $"The {c.Semantics} semantics applies a scalar gamma {F(c.Gamma)} and beta {F(c.Beta)}, "
            + "an identity affine where it is 1 and 0, so a kernel that skips it computes the same numbers.",
        ActivationOverridesCause c => Overrides(c),
        NoPaddingCause c => (c.MaskPresent ? "The attention mask is present but masks no key" : "There is no attention mask")
            + ", so every key is valid and nothing tests masking.",
        SameMaskCause c => $"Every one of the {c.Batch} batch rows masks the same key positions, "
            + "so a kernel that uses one batch row's mask for all computes the same numbers.",
        ShapeCoincidencesCause c => $"At {c.Shape} (M={c.Shape.Model}) {string.Join(", ", c.Coincidences.Select(Equality))}: these mistakes keep the "
            + "expected shape, so no shape check catches them; only the values can.",
        NotUpstreamShapeCause c => "The Souffle kernels upstream only run bert-base at B=1, S=384 (H=12, D=64, F=3072; 108 attention blocks and "
            + $"96 feed-forward blocks, tiled for that shape); at {c.Shape} a variant is tested on its own terms, and nothing "
            + "here says how the upstream kernels behave.",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause.GetType().Name, "a blind spot without words"),
    };

    /// <summary>"H = D": the equality of two dimensions in the shape's letters.</summary>
    public static string Equality(DimensionCoincidence coincidence) => coincidence switch
    {
        DimensionCoincidence.HeadsEqualHeadSize => "H = D",
        DimensionCoincidence.SequenceEqualsHeads => "S = H",
        DimensionCoincidence.SequenceEqualsHeadSize => "S = D",
        DimensionCoincidence.SequenceEqualsModel => "S = M",
        DimensionCoincidence.ModelEqualsIntermediate => "M = F",
        DimensionCoincidence.SequenceEqualsIntermediate => "S = F",
        DimensionCoincidence.BatchEqualsSequence => "B = S",
        DimensionCoincidence.BatchEqualsHeads => "B = H",
        _ => throw new ArgumentOutOfRangeException(nameof(coincidence), coincidence, "a coincidence without words"),
    };

    private static string Scores(UniformScoresSource source) => source switch
    {
        UniformScoresSource.ScoresOverridden => "The scores are overridden to a constant",
        UniformScoresSource.IdenticalInputRows => "Every token row of the input is identical, so every key row of attn.k is the same",
        _ => "attn.k is overridden to a constant, so every key row is the same",
    };

    private static string ConstantAffine(ConstantLayerNormAffineCause c)
    {
        var said = new List<string>();
        if (c.GammaValue is { } g)
        {
            said.Add($"gamma is {F(g)} in every channel");
        }

        if (c.BetaValue is { } b)
        {
            said.Add($"beta is {F(b)} in every channel");
        }

        return string.Join(" and ", said);
    }

    private static string Overrides(ActivationOverridesCause c)
    {
        var tensors = string.Join(", ", c.Overrides.Select(o => o.Tensor));
        return $"The reference replaces {ComparabilityText.Assignments(c.Overrides)} after computing them, so {string.Join(" and ", c.Stages.Select(HiddenDefectText.Stage))} "
            + "cannot influence any later tensor"
            + (c.Silenced.Count > 0 ? $" and the {LayerParameterText.Join(c.Silenced)} are untested beyond {tensors}" : string.Empty)
            + (c.NewlyDegenerate.Count > 0 ? $"; downstream, {string.Join(", ", c.NewlyDegenerate)} become constant or have identical token rows" : string.Empty)
            + ".";
    }

    private static string F(double value) => ValueSourceTensors.Format(value);
}
