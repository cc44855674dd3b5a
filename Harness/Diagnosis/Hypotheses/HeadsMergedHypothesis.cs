using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>The heads merged back in the other order: context column d·H + h instead of h·D + d.</summary>
public sealed class HeadsMergedHypothesis : IHypothesis
{
    public string Name => HypothesisNames.HeadsMergedWrongOrder;

    public HypothesisDescription Description => new HeadsMergedDescription();

    public IReadOnlyList<string> Tensors { get; } = [AttnContext];

    public Applicability AppliesTo(HypothesisSubject subject)
    {
        if (subject.Stage.Name != StageNames.Context)
        {
            return Applicability.No("concerns the Context stage");
        }

        return subject.Shape.Heads > 1 && subject.Shape.HeadSize > 1
            ? Applicability.Yes
            : Applicability.Unshowable(new CoincidingHeadOrdersReason(subject.Shape.Heads, subject.Shape.HeadSize));
    }

    public StageAlternative Alternative(HypothesisSubject subject) => new(subject.Semantics, subject.Weights)
    {
        Output = (name, t) => name == AttnContext ? Remerge(t, subject.Shape) : t,
    };

    private static HostTensor Remerge(HostTensor context, LayerShape s)
    {
        var data = new double[context.Count];
        for (long row = 0; row < (long)s.Batch * s.Sequence; row++)
        {
            for (var h = 0; h < s.Heads; h++)
            {
                for (var d = 0; d < s.HeadSize; d++)
                {
                    data[(row * s.Model) + (d * s.Heads) + h] = context.Data[(row * s.Model) + (h * s.HeadSize) + d];
                }
            }
        }

        return new HostTensor((long[])context.Shape.Clone(), data, context.Dtype);
    }
}
