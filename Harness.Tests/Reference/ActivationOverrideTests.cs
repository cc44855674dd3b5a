using Harness.Reference;

namespace Harness.Tests.Reference;

/// <summary>Replacing a named intermediate by a constant and continuing from it.</summary>
public sealed class ActivationOverrideTests
{
    private static readonly LayerShape Shape = ReferenceTestData.Awkward;

    // Two forwards on the same operands agree to a few ulps, not bit for bit: libtorch's CPU float64 matmul was seen
    // to differ in the last ulp between calls.
    private static readonly Func<double, double, bool> Close = (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Max(1.0, Math.Abs(b));

    [Test]
    public void Forward_ProbsOverridden_ContextIsConstantTimesSumOfValues()
    {
        const double p = 0.25;
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 21);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 22);
        using var baseline = Run(inputs, weights, null);

        using var trace = Run(inputs, weights, new Dictionary<string, double> { [TensorNames.AttnProbs] = p });

        trace.ToHost(TensorNames.AttnProbs).Data.Should().AllSatisfy(x => x.Should().Be(p));
        trace.ToHost(TensorNames.AttnScores).Data.Should().Equal(baseline.ToHost(TensorNames.AttnScores).Data, Close, "upstream tensors are untouched");
        var v = trace.ToHost(TensorNames.AttnV).Data;
        var context = trace.ToHost(TensorNames.AttnContext).Data;
        for (var b = 0; b < Shape.Batch; b++)
            for (var h = 0; h < Shape.Heads; h++)
                for (var s = 0; s < Shape.Sequence; s++)
                    for (var d = 0; d < Shape.HeadSize; d++)
                    {
                        var sumOfValues = Enumerable.Range(0, Shape.Sequence).Sum(j => v[(((b * Shape.Heads) + h) * Shape.Sequence + j) * Shape.HeadSize + d]);
                        context[((b * Shape.Sequence) + s) * Shape.Model + h * Shape.HeadSize + d].Should().BeApproximately(p * sumOfValues, 1e-14);
                    }

        MaxDifference(trace.ToHost(TensorNames.Output), baseline.ToHost(TensorNames.Output)).Should().BeGreaterThan(1e-3);
    }

    [Test]
    public void Forward_QueryOverridden_QkvAndScoresFollowAndKeyIsUnchanged()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 23);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 24);
        using var baseline = Run(inputs, weights, null);

        using var trace = Run(inputs, weights, new Dictionary<string, double> { [TensorNames.AttnQ] = 0.5 });

        trace.ToHost(TensorNames.AttnQ).Data.Should().AllSatisfy(x => x.Should().Be(0.5));
        trace.ToHost(TensorNames.AttnK).Data.Should().Equal(baseline.ToHost(TensorNames.AttnK).Data, Close);
        trace.ToHost(TensorNames.AttnQkv).Data.Take(trace.ToHost(TensorNames.AttnQ).Data.Length).Should().AllSatisfy(x => x.Should().Be(0.5));
        MaxDifference(trace.ToHost(TensorNames.AttnScoresRaw), baseline.ToHost(TensorNames.AttnScoresRaw)).Should().BeGreaterThan(1e-3);
    }

    [Test]
    public void Forward_QkvOverridden_SplitsIntoQueryKeyValue()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 25);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 26);

        using var trace = Run(inputs, weights, new Dictionary<string, double> { [TensorNames.AttnQkv] = -0.125 });

        foreach (var name in new[] { TensorNames.AttnQ, TensorNames.AttnK, TensorNames.AttnV })
        {
            trace.ToHost(name).Data.Should().AllSatisfy(x => x.Should().Be(-0.125), because: name);
        }

        trace.ToHost(TensorNames.AttnProbs).Data.Should().AllSatisfy(x => x.Should().BeApproximately(1.0 / Shape.Sequence, 1e-15));
    }

    [Test]
    public void Forward_UnknownOverrideName_ThrowsNamingIt()
    {
        var weights = ReferenceTestData.RandomWeights(Shape, seed: 27);
        var inputs = ReferenceTestData.RandomInputs(Shape, seed: 28);

        var act = () => Run(inputs, weights, new Dictionary<string, double> { ["attn.prob"] = 0.1 });

        act.Should().Throw<ArgumentException>().WithMessage("*'attn.prob'*");
    }

    private static LayerTrace Run(LayerInputs inputs, LayerWeights weights, IReadOnlyDictionary<string, double>? overrides) =>
        BertLayerReference.Forward(inputs, weights, ReferenceTestData.Options(LayerSemantics.HuggingFace, Shape).In(ElementType.Float64, overrides));

    private static double MaxDifference(HostTensor a, HostTensor b) => a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Max();
}
