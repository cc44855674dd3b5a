using Harness.Comparison;
using Harness.Kernels;
using Harness.Model;

namespace Harness.Tests.Isolation;

/// <summary>
/// Reruns on the same inputs: cpu-faulty-race moves attn.q[0] by one ulp every second run without saying so (a race,
/// inside the error budget), cpu-nondeterministic does the same and declares it; cpu-reference never moves.
/// </summary>
public sealed class DeterminismTests
{
    [Test]
    public void Verify_UndeclaredMovingResult_RaceWithCountWorstElementAndFirstRun()
    {
        var v = Isolated.Verify("cpu-faulty-race", runs: 5);

        v.Comparison.Passed.Should().BeTrue("one ulp is far inside the budget: only the reruns can see it");
        v.Determinism.Should().NotBeNull();
        var d = v.Determinism!;
        d.Runs.Should().Be(5);
        d.IsRace.Should().BeTrue();
        d.DeclaredNondeterministic.Should().BeFalse();
        v.Passed.Should().BeFalse();
        var moved = d.Moved.Should().ContainSingle().Subject;
        moved.Tensor.Should().Be(TensorNames.AttnQ);
        moved.Count.Should().Be(1);
        moved.WorstIndex.Should().Equal(0, 0, 0, 0);
        moved.FirstRun.Should().Be(1, "run 0 of a fresh worker is the unmoved one, run 1 the first moved");
        moved.WorstMax.Should().Be(MathF.BitIncrement((float)moved.WorstMin));
        moved.WorstMin.Should().Be(v.Kernel[TensorNames.AttnQ].Data[0]);
    }

    [Test]
    public void Verify_DeclaredNondeterministic_SpreadReportedAndPasses()
    {
        var v = Isolated.Verify("cpu-nondeterministic", runs: 3);

        v.Determinism!.DeclaredNondeterministic.Should().BeTrue();
        v.Determinism.Moves.Should().BeTrue();
        v.Determinism.IsRace.Should().BeFalse();
        v.Determinism.Moved.Should().ContainSingle(m => m.Tensor == TensorNames.AttnQ && m.Count == 1);
        v.Passed.Should().BeTrue();
    }

    [Test]
    public void Verify_DeterministicVariant_NothingMovesOverReruns()
    {
        var v = Isolated.Verify("cpu-reference", runs: 3);

        v.Determinism!.Runs.Should().Be(3);
        v.Determinism.Moved.Should().BeEmpty();
        v.Passed.Should().BeTrue();
    }

    [Test]
    public void Verify_OneRun_NoDeterminismVerdict()
    {
        Isolated.Verify("cpu-faulty-race", runs: 1).Determinism.Should().BeNull();
    }

    private static IEnumerable<TestCaseData> Records()
    {
        var shape = new LayerShape(1, 3, 2, 2, 8);
        yield return new TestCaseData(
            shape,
            new RerunRecord(4, new Dictionary<string, IReadOnlyList<MovedElement>>
            {
                [TensorNames.Output] = [new(5, 3, 1.0, 1.5, false)],
                [TensorNames.AttnQ] = [new(1, 2, 0.0, 0.25, false), new(7, 1, -1.0, 0.0, false), new(11, 3, 2.0, 2.0, true)],
            }),
            new[] { TensorNames.AttnQ, TensorNames.Output },
            new long[] { 0, 1, 2, 1 },
            1).SetName("Judge_NaNInSomeRun_IsTheWorstAndTensorsInDataflowOrder");
        yield return new TestCaseData(
            new LayerShape(2, 1, 1, 3, 4),
            new RerunRecord(2, new Dictionary<string, IReadOnlyList<MovedElement>>
            {
                [TensorNames.AttnK] = [new(0, 1, 0.0, 0.5, false), new(4, 1, -2.0, 1.0, false)],
            }),
            new[] { TensorNames.AttnK },
            new long[] { 1, 0, 0, 1 },
            1).SetName("Judge_AwkwardShape_WidestSpreadIsWorstUnflattened");
    }

    [TestCaseSource(nameof(Records))]
    public void Judge_Record_TypedMovementsPerTensor(LayerShape shape, RerunRecord record, string[] order, long[] worstOfFirst, int firstRun)
    {
        var d = Determinism.Judge(record, declaredNondeterministic: false, shape);

        d.Moved.Select(m => m.Tensor).Should().Equal(order);
        d.Moved[0].WorstIndex.Should().Equal(worstOfFirst);
        d.Moved[0].FirstRun.Should().Be(firstRun);
        d.Moved[0].Count.Should().Be(record.Moved[order[0]].Count);
        d.IsRace.Should().BeTrue();
    }

    [Test]
    public void Judge_EmptyRecord_NoRace()
    {
        var d = Determinism.Judge(new RerunRecord(5, new Dictionary<string, IReadOnlyList<MovedElement>>()), false, new LayerShape(1, 2, 1, 2, 4));

        d.Moves.Should().BeFalse();
        d.Passed.Should().BeTrue();
    }
}
