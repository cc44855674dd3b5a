using Harness.Comparison;

namespace Harness.Tests.Comparison;

public sealed class ErrorBudgetTests
{
    // Truth on the fp16 grid in [0, 1): one fp16 step at max|truth| is 2^-11, and truth ± k/64 stays exactly representable.
    private const double Delta = 1.0 / 64;
    private static readonly double Step = Math.ScaleB(1, -11);

    private static HostTensor Truth() => TestTensors.Generate(ElementType.Float64, [7, 3, 5], i => ((i * 37) % 1000) / 1024.0);

    private static HostTensor Offset(HostTensor truth, double scale, ElementType dtype) =>
        TestTensors.Map(truth, dtype, (i, t) => t + (scale * ((i % 3) - 1)));

    [Test]
    public void Judge_KernelErrorTwiceTheReferenceError_Passes()
    {
        var truth = Truth();
        var reference = Offset(truth, Delta, ElementType.Float16);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, Offset(truth, 2 * Delta, ElementType.Float16), truth, reference, null);

        verdict.Passed.Should().BeTrue(verdict.Reason);
        verdict.Step.Should().Be(Step);
        verdict.MaxAbsBudget.Should().Be((2 * Delta) + (2 * Step));
        verdict.MaxAbsUsed.Should().Be(2 * Delta / ((2 * Delta) + (2 * Step)));
        verdict.BudgetUsed.Should().BeLessThanOrEqualTo(1);
        verdict.Reason.Should().Contain("within budget");
    }

    [Test]
    public void Judge_KernelErrorThreeTimesTheReferenceError_Fails()
    {
        var truth = Truth();
        var reference = Offset(truth, Delta, ElementType.Float16);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, Offset(truth, 3 * Delta, ElementType.Float16), truth, reference, null);

        verdict.Passed.Should().BeFalse();
        verdict.BudgetUsed.Should().BeGreaterThan(1);
        verdict.Reason.Should().Contain("over budget");
        verdict.Comparison.MismatchCount.Should().Be(70, "two thirds of the 105 elements are off by 3δ, above the 2δ + 2·step budget");
    }

    [Test]
    public void Judge_ExactKernel_UsesNothing()
    {
        var truth = Truth();

        var verdict = ErrorBudget.Judge(TensorNames.Output, truth.RoundedTo(ElementType.Float16), truth, truth.RoundedTo(ElementType.Float16), null);

        verdict.Passed.Should().BeTrue();
        verdict.BudgetUsed.Should().Be(0);
    }

    [Test]
    public void Judge_BiasedOffsetWithinMaxButOverRmse_FailsOnTheRmse()
    {
        // Reference exact: max budget 2·step, rmse budget 2·step/√3 ≈ 1.15·step. A kernel biased upward by 2, 2, 1 steps
        // in turn (all on the fp16 grid) stays within the max but has an rmse of √3·step.
        var truth = Truth();
        var kernel = TestTensors.Map(truth, ElementType.Float16, (i, t) => t + ((i % 3 == 0 ? 1 : 2) * Step));

        var verdict = ErrorBudget.Judge(TensorNames.AttnContext, kernel, truth, truth, null);

        verdict.MaxAbsUsed.Should().Be(1);
        verdict.RmseUsed.Should().BeApproximately(1.5, 1e-12);
        verdict.Passed.Should().BeFalse();
    }

    [Test]
    public void Judge_AccumulatorTensor_UsesTheFp32Step()
    {
        var truth = TestTensors.Generate(ElementType.Float64, [7], i => 100 + i);

        var verdict = ErrorBudget.Judge(TensorNames.AttnLnSum, truth.RoundedTo(ElementType.Float16), truth, truth, null);

        verdict.StepDtype.Should().Be(ElementType.Float32);
        verdict.Step.Should().Be(Math.ScaleB(1, 6 - 23), "max|truth| = 106 lies in [64, 128)");
    }

    [Test]
    public void Judge_ExplicitToleranceLooserThanTheBudget_PassesOnTheTolerance()
    {
        var truth = Truth();
        var kernel = Offset(truth, 3 * Delta, ElementType.Float16);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, kernel, truth, Offset(truth, Delta, ElementType.Float16), new Tolerance(0.05, 0));

        verdict.Passed.Should().BeTrue();
        verdict.ExplicitOverride.Should().Be(new Tolerance(0.05, 0));
        verdict.BudgetUsed.Should().BeGreaterThan(1, "the budget is still reported");
        verdict.Reason.Should().StartWith("explicit tolerance");
    }

    [Test]
    public void Judge_ExplicitToleranceTighterThanTheBudget_FailsOnTheTolerance()
    {
        var truth = Truth();
        var kernel = Offset(truth, Delta, ElementType.Float16);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, kernel, truth, Offset(truth, Delta, ElementType.Float16), new Tolerance(0.01, 0));

        verdict.Passed.Should().BeFalse();
        verdict.BudgetUsed.Should().BeLessThan(1);
        verdict.Comparison.MismatchCount.Should().Be(70);
    }

    [Test]
    public void Judge_KernelWithNaN_FailsWithUnboundedUse()
    {
        var truth = Truth();
        var kernel = TestTensors.WithElement(truth.RoundedTo(ElementType.Float16), 3, double.NaN);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, kernel, truth, truth, null);

        verdict.Passed.Should().BeFalse();
        verdict.BudgetUsed.Should().Be(double.PositiveInfinity);
        verdict.Reason.Should().Contain("NaN");
    }

    [Test]
    public void Judge_ReferenceWithNaNAndNoOverride_FailsAskingForATolerance()
    {
        var truth = Truth();
        var reference = TestTensors.WithElement(truth, 3, double.NaN);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, truth, truth, reference, null);

        verdict.Passed.Should().BeFalse();
        verdict.MaxAbsBudget.Should().Be(double.NaN);
        verdict.Reason.Should().Contain("no budget").And.Contain("explicit tolerance");
    }

    [Test]
    public void Judge_ReferenceWithNaNButAnOverride_IsJudgedByTheOverride()
    {
        var truth = Truth();
        var reference = TestTensors.WithElement(truth, 3, double.NaN);

        ErrorBudget.Judge(TensorNames.AttnProbs, truth, truth, reference, new Tolerance(1e-3, 0)).Passed.Should().BeTrue();
    }

    [Test]
    public void Judge_ReferenceOfAnotherShape_FailsNamingIt()
    {
        var truth = Truth();
        var reference = TestTensors.Of(ElementType.Float16, [105], new double[105]);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, truth, truth, reference, null);

        verdict.Passed.Should().BeFalse();
        verdict.Reason.Should().Contain("referenceLowPrecision shape [105]").And.Contain("[7, 3, 5]");
    }

    [Test]
    public void Judge_KernelOfAnotherShape_Fails()
    {
        var truth = Truth();
        var kernel = TestTensors.Of(ElementType.Float16, [7, 15], new double[105]);

        var verdict = ErrorBudget.Judge(TensorNames.AttnProbs, kernel, truth, truth, null);

        verdict.Passed.Should().BeFalse();
        verdict.Reason.Should().Contain("[7, 15]");
    }
}
