using Harness.Reporting;
using Harness.Soak;
using Harness.Tests.Conformance;

namespace Harness.Tests.Soak;

public sealed class SoakShardsTests
{
    [Test]
    public void Merge_EveryShard_SameOutcomesAndDistributionsAsTheWholeSoak()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var shapes = new[] { Verifications.Describe("small") };
        var whole = SoakRunner.Run(variant, shapes, 3, ShardSpec.Whole, null);
        var shards = new[] { 1, 2 }.Select(i => ($"shard{i}.json", (System.Text.Json.Nodes.JsonNode)SoakReport.Json(SoakRunner.Run(variant, shapes, 3, new ShardSpec(i, 2), null), "test"))).ToList();

        var merged = SoakShards.Merge(shards);

        merged.Outcomes.Select(o => o.Case).Should().BeEquivalentTo(whole.Outcomes.Select(o => o.Case));
        // Budget used agrees to ~1e-8 relative, not bit for bit: the float64 truth's multithreaded reductions may sum in
        // another order when other tests share the cores.
        merged.Distributions.Should().BeEquivalentTo(whole.Distributions, o => o
            .Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6 * Math.Abs(c.Expectation))).WhenTypeIs<double>());
        merged.Shard.Should().Be(ShardSpec.Whole);
    }

    [Test]
    public void Merge_MissingShard_InvalidDataNamingTheShards()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var one = SoakReport.Json(SoakRunner.Run(variant, [Verifications.Describe("small")], 1, new ShardSpec(1, 2), null), "test");

        FluentActions.Invoking(() => SoakShards.Merge([("a.json", one)])).Should().Throw<InvalidDataException>().WithMessage("*shards 1/2*each of 1/2 .. 2/2 exactly once*");
    }
}
