using Harness.Comparison;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

public sealed class TensorDumpVerdictLineTests
{
    private static readonly HostTensor Truth = new([2, 3], [0.5, 0.25, 0.125, 1, 0.75, 0.5], ElementType.Float64);

    [Test]
    public void Render_OverBudget_NamesTensorErrorBudgetUseAndWorstElement()
    {
        var kernel = new HostTensor([2, 3], [0.5, 0.25, 0.125, 1, 0.875, 0.5], ElementType.Float16);

        var line = TensorDumpVerdictLine.Render(ErrorBudget.Judge(TensorNames.AttnProbs, kernel, Truth, Truth, null));

        line.Should().StartWith("FAIL attn.probs: max abs 0.125, budget 0.00195312 (used 64.0×)", "max|truth| = 1, so the budget is 2 fp16 steps of 2^-10");
        line.Should().Contain("worst at [1, 1] (flat 4): kernel 0.875 vs truth 0.75");
        line.Should().Contain("mismatch 16.67% (1 of 6)");
    }

    [Test]
    public void Render_ExplicitTolerance_ShowsItInPlaceOfTheBudget()
    {
        var line = TensorDumpVerdictLine.Render(ErrorBudget.Judge(TensorNames.Output, Truth, Truth, Truth, new Tolerance(1e-3, 0)));

        line.Should().StartWith("PASS output: max abs 0, explicit atol=0.001, rtol=0,");
    }

    [Test]
    public void Render_KernelWithNaN_AppendsTheReason()
    {
        var kernel = new HostTensor([2, 3], [0.5, double.NaN, 0.125, 1, 0.75, 0.5], ElementType.Float16);

        var line = TensorDumpVerdictLine.Render(ErrorBudget.Judge(TensorNames.AttnProbs, kernel, Truth, Truth, null));

        line.Should().StartWith("FAIL attn.probs:").And.Contain("kernel nan vs truth 0.25").And.EndWith("(NaN/Inf never pass)");
    }
}
