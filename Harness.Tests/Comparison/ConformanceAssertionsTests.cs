using Harness.Comparison;
using Harness.Reporting;
using Harness.Tests.Support;

namespace Harness.Tests.Comparison;

public sealed class ConformanceAssertionsTests
{
    private static readonly HostTensor Truth = new([7], [1, 2, 3, 4, 5, 6, 7], ElementType.Float64);

    private static TensorVerdict Failing() =>
        ErrorBudget.Judge(TensorNames.AttnDense, new HostTensor([7], [1, 2, 3, 4.5, 5, 6, 7], ElementType.Float16), Truth, Truth, null);

    [Test]
    public void Pass_PassingVerdict_DoesNotThrow()
    {
        var verdict = ErrorBudget.Judge(TensorNames.AttnDense, Truth, Truth, Truth, null);

        var act = () => verdict.Should().Pass();

        act.Should().NotThrow();
    }

    [Test]
    public void Pass_FailingVerdict_FailsWithTheReportLine()
    {
        var verdict = Failing();

        var act = () => verdict.Should().Pass();

        act.Should().Throw<AssertionException>().Which.Message.Should().Contain(TensorDumpVerdictLine.Render(verdict));
    }

    [Test]
    public void Pass_FailingLayer_FailsWithTheFirstFailingTensorsLine()
    {
        var layer = new LayerComparison([ErrorBudget.Judge(TensorNames.AttnQ, Truth, Truth, Truth, null), Failing()]);

        var act = () => layer.Should().Pass();

        act.Should().Throw<AssertionException>().Which.Message.Should().Contain("FAIL attn.dense").And.Contain("worst at [3]");
    }

    [Test]
    public void Pass_EmptyLayer_Fails()
    {
        var act = () => new LayerComparison([]).Should().Pass();

        act.Should().Throw<AssertionException>().WithMessage("*no tensor was judged*");
    }
}
