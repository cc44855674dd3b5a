using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;

namespace Harness.Tests.Diagnosis;

/// <summary>
/// Reruns whose products are only judged read them in libtorch's memory: the discrepancies must be those of the
/// products copied to the host, as they were judged before.
/// </summary>
public class JudgedInPlaceTests
{
    private static readonly Lazy<LayerVerification> Souffle = new(() =>
        DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace)));

    [Test]
    public void Fit_EveryCandidate_EqualsTheProjectionsCopiedToTheHostAndJudged()
    {
        var v = Souffle.Value;
        var stage = StageCatalog.Stage(StageNames.Projections);
        var written = stage.Produces.Where(v.Kernel.ContainsKey).ToList();

        var fit = AccumulationFit.Fit(v);

        fit.Should().NotBeEmpty();
        foreach (var candidate in fit)
        {
            var semantics = v.ReferenceSemantics with { Accumulation = candidate.Model, Fp16RoundingPoints = true };
            var onHost = OnHost(v, stage, semantics);
            var worst = written.Select(name => Discrepancy.Between(v.Kernel[name], onHost[name])).ToList();
            candidate.AgainstKernel.Should().Be(
                new Discrepancy(worst.Max(d => d.MaxAbs), worst.Max(d => d.Rmse), worst.Sum(d => d.NonFiniteMismatches)),
                $"k = {candidate.Model.GroupSize} {candidate.Model.Rounding}, bit for bit");
        }
    }

    [Test]
    public void Between_ValuesHeldElsewhere_SameAsBetweenHostTensors()
    {
        var actual = new HostTensor([2, 3], [1, double.NaN, double.PositiveInfinity, -2, 0.5, 7], ElementType.Float64);
        var expected = new HostTensor([2, 3], [1.25, double.NaN, double.NegativeInfinity, -2, 0.75, 3], ElementType.Float64);

        Discrepancy.Between(actual, [2, 3], expected.Data.AsSpan()).Should().Be(Discrepancy.Between(actual, expected));
    }

    [Test]
    public void Between_ValuesOfAnotherShape_Throws()
    {
        var actual = new HostTensor([2, 3], new double[6], ElementType.Float64);

        var act = () => Discrepancy.Between(actual, [3, 2], new double[6]);

        act.Should().Throw<ArgumentException>().WithMessage("*[2, 3]*[3, 2]*");
    }

    /// <summary>The stage recomputed from the layer input and copied to the host, as every rerun's products were.</summary>
    private static Dictionary<string, HostTensor> OnHost(LayerVerification v, StageInfo stage, LayerSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        using var ctx = StageContext.Create(v.Shape, v.Setup.Weights, v.Setup.Inputs.AttentionMask, semantics, ElementType.Float64, v.Setup.ReferenceDevice);
        var input = ctx.Load(v.Truth[TensorNames.Input]);
        return StageCatalog.Recompute(stage.Name, new Dictionary<string, torch.Tensor> { [TensorNames.Input] = input }, ctx)
            .ToDictionary(p => p.Key, p => HostTensors.ToHost(p.Value));
    }
}
