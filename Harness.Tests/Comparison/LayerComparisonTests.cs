using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class LayerComparisonTests
{
    private static TensorVerdict Verdict(string name, bool passing)
    {
        var truth = TestTensors.Vector(1, 2, 3);
        var kernel = passing ? truth : TestTensors.Vector(1, 2, 4);
        return ErrorBudget.Judge(name, kernel, truth, truth, null);
    }

    [Test]
    public void Constructor_VerdictsInAnyOrder_SortsThemIntoDataflowOrder()
    {
        var layer = new LayerComparison([Verdict(TensorNames.Output, true), Verdict(TensorNames.AttnQ, true), Verdict(TensorNames.AttnProbs, true)]);

        layer.Verdicts.Select(v => v.Name).Should().Equal(TensorNames.AttnQ, TensorNames.AttnProbs, TensorNames.Output);
        layer.Passed.Should().BeTrue();
        layer.FirstFailing.Should().BeNull();
    }

    [Test]
    public void FirstFailing_TwoFailures_IsTheEarlierInDataflowOrder()
    {
        var layer = new LayerComparison([Verdict(TensorNames.Output, false), Verdict(TensorNames.AttnQ, true), Verdict(TensorNames.AttnProbs, false)]);

        layer.Passed.Should().BeFalse();
        layer.FirstFailing!.Name.Should().Be(TensorNames.AttnProbs);
    }

    [Test]
    public void Passed_NoVerdicts_IsFalse()
    {
        new LayerComparison([]).Passed.Should().BeFalse();
    }

    [Test]
    public void Constructor_SameTensorTwice_ThrowsNamingIt()
    {
        var act = () => new LayerComparison([Verdict(TensorNames.AttnQ, true), Verdict(TensorNames.AttnQ, true)]);

        act.Should().Throw<ArgumentException>().WithMessage("*'attn.q' was judged twice*");
    }

    [Test]
    public void Constructor_UnknownTensorName_ThrowsNamingIt()
    {
        var act = () => new LayerComparison([Verdict("attn.qq", true)]);

        act.Should().Throw<ArgumentException>().WithMessage("*'attn.qq' is not a canonical tensor name*");
    }
}
