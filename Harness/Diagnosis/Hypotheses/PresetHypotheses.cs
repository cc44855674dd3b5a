using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>
/// The whole other preset for the stage ("souffle semantics for this stage"), made what a kernel of this dtype
/// computes the way the verifier makes it: without fp16 rounding points for a non-fp16 kernel, and with the kernel's
/// fp16 accumulation group where the preset holds values in half.
/// </summary>
public sealed class PresetHypotheses : IHypothesisFamily
{
    public IEnumerable<IHypothesis> Members => new[] { LayerSemantics.HuggingFace, LayerSemantics.Souffle }.Select(preset => new SemanticsHypothesis(
        HypothesisNames.Preset(preset),
        new PresetDescription(preset),
        Harness.Reference.StageCatalog.Stages.Select(s => s.Name).ToList(),
        Harness.Model.TensorNames.Produced,
        (s, subject) => For(preset, s, subject),
        isComposite: true));

    private static LayerSemantics For(LayerSemantics preset, LayerSemantics reference, HypothesisSubject subject)
    {
        var adapted = subject.KernelDtype == ElementType.Float16 ? preset : preset with { Fp16RoundingPoints = false, ResidualInFp16 = false };
        if (adapted.Fp16RoundingPoints && subject.AccumulationGroup > 0)
        {
            adapted = adapted with { Accumulation = new AccumulationModel(subject.AccumulationGroup, subject.AccumulationRounding) };
        }

        return adapted with { Name = reference.Name };
    }
}
