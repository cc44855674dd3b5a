using System.Text.Json.Nodes;
using Harness.History;

namespace Harness.Tests.History;

public sealed class RegressionCheckTests
{
    private static HistoryEntry Entry(double budget, double median, string tensor = "attn.q") => new(
        "2026-11-26T00:00:00Z",
        "test",
        [new BudgetPoint("fused", null, "random", "B=1 S=384 H=12 D=64 F=3072", "huggingface", tensor, budget)],
        [new BenchPoint("fused", "B=1 S=384 H=12 D=64 F=3072", median)]);

    [Test]
    public void Compare_NoEarlierEntry_NoRegression() => RegressionCheck.Compare(null, Entry(0.9, 300)).Regressed.Should().BeFalse();

    [TestCase(0.20, 0.30, false)]
    [TestCase(0.20, 0.31, true)]
    [TestCase(0.40, 0.95, true)]
    [TestCase(0.00, 0.015, false)]
    [TestCase(0.00, 0.016, true)]
    [TestCase(0.50, double.PositiveInfinity, true)]
    [TestCase(0.50, double.NaN, true)]
    public void Compare_BudgetUse_RegressesAboveOnePointFiveTimes(double before, double now, bool regressed)
    {
        var report = RegressionCheck.Compare(Entry(before, 300), Entry(now, 300));

        report.Regressed.Should().Be(regressed);
        if (regressed)
        {
            report.Regressions.Should().ContainSingle().Which.Kind.Should().Be("budget used");
        }
    }

    [TestCase(300.0, 330.0, false)]
    [TestCase(300.0, 330.1, true)]
    [TestCase(300.0, 150.0, false)]
    public void Compare_BenchMedian_RegressesAboveTenPercent(double before, double now, bool regressed)
    {
        var report = RegressionCheck.Compare(Entry(0.1, before), Entry(0.1, now));

        report.Regressions.Select(r => r.Kind).Should().Equal(regressed ? ["bench median (us)"] : Array.Empty<string>());
    }

    [Test]
    public void Compare_TensorOnlyInOneEntry_NewAndGoneNotRegressions()
    {
        var report = RegressionCheck.Compare(Entry(0.1, 300, "attn.q"), Entry(0.9, 300, "attn.k"));

        report.Regressed.Should().BeFalse();
        report.New.Should().ContainSingle().Which.Should().EndWith("attn.k");
        report.Gone.Should().ContainSingle().Which.Should().EndWith("attn.q");
    }

    [Test]
    public void JsonLine_RoundTrip_SameEntry()
    {
        var entry = Entry(double.PositiveInfinity, 284.8) with { Budgets = [.. Entry(double.PositiveInfinity, 1).Budgets, new BudgetPoint("souffle", "cpu-souffle", "random", "B=1", "souffle", "output", 0.25)] };

        var back = HistoryEntry.Parse(entry.ToJsonLine());

        back.Budgets.Should().Equal(entry.Budgets);
        back.Bench.Should().Equal(entry.Bench);
        (back.Date, back.Label).Should().Be((entry.Date, entry.Label));
    }

    [TestCase("{not json", "line 2 is not a history entry: not JSON")]
    [TestCase("[1,2]", "line 2 is not a history entry: not a JSON object")]
    [TestCase("{\"schemaVersion\":7}", "line 2 is not a history entry: schemaVersion 7")]
    [TestCase("{\"schemaVersion\":1,\"date\":\"d\",\"label\":\"l\",\"budgets\":[{\"variant\":\"v\"}],\"bench\":[]}", "line 2 is not a history entry: 'scenario' is missing")]
    public void Parse_CorruptLine_NamesFileAndLine(string corrupt, string message)
    {
        var lines = new[] { Entry(0.1, 300).ToJsonLine(), corrupt, Entry(0.1, 300).ToJsonLine() };

        FluentActions.Invoking(() => HistoryFile.Parse("nightly.jsonl", lines)).Should().Throw<HistoryFormatException>()
            .WithMessage($"nightly.jsonl {message}*");
    }

    [Test]
    public void Parse_BlankLines_Skipped() =>
        HistoryFile.Parse("h", [string.Empty, Entry(0.1, 300).ToJsonLine(), "  ", Entry(0.2, 300).ToJsonLine()]).Should().HaveCount(2);

    [Test]
    public void Build_VerifyAndBenchDocuments_EveryTensorAndTimedRow()
    {
        var verify = JsonNode.Parse("""
            {"variant":"fused","against":null,"scenario":"random","shape":"B=1 S=384 H=12 D=64 F=3072","referenceSemantics":"huggingface",
             "tensors":[{"name":"attn.q","budgetUsed":0.25},{"name":"output","budgetUsed":"Infinity"}]}
            """)!;
        var bench = JsonNode.Parse("""
            {"variants":[{"variant":"fused","shape":{"batch":1,"sequence":384,"heads":12,"headSize":64,"intermediate":3072},"perRunMicroseconds":{"median":354.9}},
                         {"variant":"souffle","shape":{"batch":8,"sequence":512,"heads":12,"headSize":64,"intermediate":3072},"perRunMicroseconds":null}]}
            """)!;

        var entry = EntryBuilder.Build("d", "l", [("001.json", verify)], ("bench.json", bench));

        entry.Budgets.Select(b => (b.Tensor, b.BudgetUsed)).Should().Equal(("attn.q", 0.25), ("output", double.PositiveInfinity));
        entry.Bench.Should().Equal(new BenchPoint("fused", "B=1 S=384 H=12 D=64 F=3072", 354.9));
    }

    [Test]
    public void Build_NotAVerifyDocument_NamesTheFile() =>
        FluentActions.Invoking(() => EntryBuilder.Build("d", "l", [("002.json", JsonNode.Parse("{}")!)], null))
            .Should().Throw<InvalidDataException>().WithMessage("002.json has no 'tensors' array*");
}
