using Harness.Benchmarking;
using Harness.Kernels;

namespace Harness.Tests.Benchmarking;

public sealed class BenchShapesTests
{
    [Test]
    public void Grid_Defaults_SixShapesBatchOuterKeepingTemplateDims()
    {
        var grid = BenchShapes.Grid(LayerShape.BertBase384, BenchSettings.DefaultBatches, BenchSettings.DefaultSequences);

        grid.Select(s => (s.Batch, s.Sequence)).Should().Equal((1, 128), (1, 384), (1, 512), (8, 128), (8, 384), (8, 512));
        grid.Should().OnlyContain(s => s.Heads == 12 && s.HeadSize == 64 && s.Intermediate == 3072);
    }

    [Test]
    public void Grid_RepeatedValues_Deduplicated()
    {
        BenchShapes.Grid(LayerShape.BertBase384, [1, 1], [384, 384]).Should().ContainSingle();
    }

    [Test]
    public void Within_FixedSequenceLimit_AdmitsOnlyThatSequenceAndNamesTheLimit()
    {
        var limits = ShapeLimits.Any with { Sequence = new DimLimit(384, 384, 0), Batch = new DimLimit(1, 1, 0) };
        var grid = BenchShapes.Grid(LayerShape.BertBase384, BenchSettings.DefaultBatches, BenchSettings.DefaultSequences);

        var (admitted, refused) = BenchShapes.Within(grid, limits.Check);

        admitted.Should().Equal(LayerShape.BertBase384);
        refused.Should().HaveCount(5);
        refused.Single(r => r.Shape.Batch == 1 && r.Shape.Sequence == 128).Reason.Should().Contain("S=128");
    }

    [Test]
    public void ParameterSets_Rotate_SetsTogetherExceedTwiceTheL2()
    {
        var settings = new BenchSettings([1], [384]);
        const long l2 = 50L << 20;

        foreach (var setBytes in new[] { 1e6, 20e6, 50.0 * (1 << 20), 200e6 })
        {
            var k = settings.ParameterSets(setBytes, l2);
            (k * setBytes).Should().BeGreaterThan(2.0 * l2);
            ((k - 1) * setBytes).Should().BeLessThanOrEqualTo(2.0 * l2, "K is the fewest sets that do");
        }
    }

    [Test]
    public void ParameterSets_Flush_OneSet()
    {
        (new BenchSettings([1], [384]) with { L2 = L2Policy.Flush }).ParameterSets(1e6, 50L << 20).Should().Be(1);
    }

    [TestCase(9, 5, 20)]
    [TestCase(10, -1, 20)]
    [TestCase(10, 5, 0)]
    public void Validate_OutOfRange_Throws(int samples, int warmup, int runs)
    {
        FluentActions.Invoking(() => new BenchSettings([1], [128], samples, warmup, runs).Validate()).Should().Throw<ArgumentException>();
    }
}
