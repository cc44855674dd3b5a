using Harness.Model;
using Harness.Scenarios;
using Harness.Soak;
using Harness.Tests.Conformance;

namespace Harness.Tests.Soak;

public sealed class SoakTests
{
    [Test]
    public void Distribution_NearestRank_MedianP99Max()
    {
        var used = Enumerable.Range(1, 200).Select(i => i / 1000.0).Reverse().ToList();

        var d = BudgetDistribution.Of("huggingface", TensorNames.Output, used);

        (d.Cases, d.Median, d.P99, d.Max).Should().Be((200, 0.100, 0.198, 0.200));
    }

    [Test]
    public void Distribution_InfiniteValue_IsTheMax() =>
        BudgetDistribution.Of("souffle", TensorNames.Output, [0.1, double.PositiveInfinity, 0.3]).Max.Should().Be(double.PositiveInfinity);

    [Test]
    public void Plan_ShapesSeedsSemantics_EveryCombinationOnceAcrossShards()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var shapes = new[] { Verifications.Describe("small"), Verifications.Describe("padded") };

        var whole = SoakRunner.Plan(variant, shapes, 3, ShardSpec.Whole);
        var halves = new[] { 1, 2 }.SelectMany(i => SoakRunner.Plan(variant, shapes, 3, new ShardSpec(i, 2))).ToList();

        whole.Should().HaveCount(2 * 3 * variant.Semantics.Count);
        whole.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        halves.Select(c => c.Name).Should().BeEquivalentTo(whole.Select(c => c.Name));
    }

    [Test]
    public void Scenario_Reseeded_ShapeAndPaddingKeptSeedsReplaced()
    {
        var padded = Verifications.Describe("padded");

        var reseeded = new SoakCase(padded, SoakCase.FirstSeed + 4, LayerSemantics.Souffle).Scenario();

        (reseeded.Shape, reseeded.ValidLength).Should().Be((padded.Shape, padded.ValidLength));
        reseeded.Seed.Should().Be(SoakCase.FirstSeed + 4);
        reseeded.Input.Should().BeOfType<GeneratedInput>().Which.Values.Should().BeOfType<RandomValues>().Which.Seed.Should().Be(SoakCase.FirstSeed + 4);
    }

    [Test]
    public void Reseedable_ConstantScenario_False() => SoakCase.Reseedable(Verifications.Describe("constant-debug")).Should().BeFalse();

    [Test]
    public void Run_HonestVariant_NoFalseAlarmAndEveryTensorDistributed()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");

        var result = SoakRunner.Run(variant, [Verifications.Describe("small")], 2, ShardSpec.Whole, null);

        result.Outcomes.Should().HaveCount(2 * variant.Semantics.Count).And.OnlyContain(o => o.Passed);
        result.FalseAlarms.Should().BeEmpty();
        result.Distributions.Select(d => d.Tensor).Distinct().Should().BeEquivalentTo(variant.Outputs);
        result.Distributions.Should().OnlyContain(d => d.Max <= 1 && d.Median <= d.P99 && d.P99 <= d.Max);
    }

    [Test]
    public void Run_DefectiveVariant_AlarmsAtItsTensor()
    {
        // A mutant stands in for a budget model that alarms: the soak must count what fails, not hide it.
        var result = SoakRunner.Run(Verifications.Catalog.Find("cpu-mutant-relu"), [Verifications.Describe("small")], 1, ShardSpec.Whole, null);

        result.FalseAlarms.Select(a => a.Tensor).Should().Contain(TensorNames.FfnFc1);
    }
}
