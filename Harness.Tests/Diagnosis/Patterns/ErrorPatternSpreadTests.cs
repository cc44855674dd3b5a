using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternSpreadTests
{
    [Test]
    public void Analyze_UniformNoise_SaysUniformWithoutStructure()
    {
        var random = new Random(7);
        var pattern = PatternTensors.Analyze(TensorNames.Output, PatternTensors.Small, i => random.NextDouble() < 0.3);

        pattern.MismatchCount.Should().BeInRange(100, 190);
        var uniform = pattern.Findings.OfType<UniformFinding>().Should().ContainSingle().Subject;
        uniform.Should().BeEquivalentTo(new { Axis = ColumnAxis.Columns, HeadsTouched = 3, HeadCount = 3 });
        uniform.RowShare.Should().BeGreaterThan(0.5);
        uniform.ColumnShare.Should().BeGreaterThan(0.5);
        pattern.Findings.Should().HaveCount(1);
    }

    [Test]
    public void Analyze_FewScatteredMismatches_AreNotCalledOnlyThoseRows()
    {
        var scattered = new HashSet<(long, long)> { (2, 1), (11, 7), (23, 4), (30, 10), (37, 2) };
        var pattern = PatternTensors.Analyze(TensorNames.AttnDense, PatternTensors.Small, i => scattered.Contains((i[1], i[2])));

        pattern.MismatchCount.Should().Be(5);
        pattern.Findings.Should().ContainSingle().Which.Kind.Should().Be(PatternKind.Uniform);
    }

    [Test]
    public void Analyze_NoMismatch_SaysSo()
    {
        var (actual, expected) = PatternTensors.Pair(TensorNames.Output, PatternTensors.Small, _ => false);

        var pattern = ErrorPatternAnalyzer.Analyze(TensorNames.Output, PatternTensors.Small, actual, expected, PatternTensors.Mismatch);

        pattern.MismatchCount.Should().Be(0);
        pattern.Findings.Should().ContainSingle().Which.Kind.Should().Be(PatternKind.NoMismatch);
    }

    [Test]
    public void Analyze_NaNThatPredicateAccepts_IsStillAMismatch()
    {
        var (actual, expected) = PatternTensors.Pair(TensorNames.AttnSoftmaxRowSum, PatternTensors.Small, _ => false);
        actual.Data[2 * 40 + 5] = double.NaN;
        actual.Data[2 * 40 + 6] = double.PositiveInfinity;

        var pattern = ErrorPatternAnalyzer.Analyze(TensorNames.AttnSoftmaxRowSum, PatternTensors.Small, actual, expected, (_, _) => false);

        pattern.MismatchCount.Should().Be(2);
        pattern.NonFiniteCount.Should().Be(2);
        pattern.Findings[0].Should().BeEquivalentTo(new NonFiniteFinding(2, [2, 5], 1.0));
        pattern.ByHead.Should().Equal(0, 0, 2);
        double.IsNaN(pattern.Heatmap.Values[5, 2]).Should().BeTrue("a non-finite cell must not look small");
    }
}
