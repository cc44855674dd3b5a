using Harness.Soak;

namespace Harness.Tests.Soak;

public sealed class ShardSpecTests
{
    [TestCase("1/1", 1, 1)]
    [TestCase("2/4", 2, 4)]
    [TestCase("4/4", 4, 4)]
    public void Parse_ValidSpec_IndexAndCount(string text, int index, int count) => ShardSpec.Parse(text).Should().Be(new ShardSpec(index, count));

    [TestCase("0/2")]
    [TestCase("3/2")]
    [TestCase("1/0")]
    [TestCase("2")]
    [TestCase("1/2/3")]
    [TestCase("a/b")]
    [TestCase("-1/2")]
    [TestCase(" 1/2")]
    [TestCase("")]
    public void Parse_BadSpec_ArgumentNamingIt(string text) =>
        FluentActions.Invoking(() => ShardSpec.Parse(text)).Should().Throw<ArgumentException>().WithMessage($"--shard must be i/n*got '{text}'");

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    public void Select_AllShards_PartitionTheListInOrder(int count)
    {
        var cases = Enumerable.Range(0, 20).ToList();

        var shards = Enumerable.Range(1, count).Select(i => new ShardSpec(i, count).Select(cases).ToList()).ToList();

        shards.SelectMany(s => s).Order().Should().Equal(cases);
        shards.Select(s => s.Count).Max().Should().BeLessThanOrEqualTo(shards.Select(s => s.Count).Min() + 1);
    }
}
