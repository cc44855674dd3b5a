using System.Text.RegularExpressions;
using Harness.Reporting.Documents;

namespace Harness.Tests.Reporting.Documents;

public sealed class MarkdownReportTests : ReportDirectory
{
    [Test]
    public void Write_SampleModel_HasSectionsInReportOrder()
    {
        var text = "\n" + File.ReadAllText(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        string[] headings = ["# cpu-souffle-mutant on seed-case — FAIL", "## Summary", "## Findings", "## Blind spots", "## Comparability", "## Stage isolation", "## Invariants", "## Tensors"];
        var positions = headings.Select(h => text.IndexOf("\n" + h, StringComparison.Ordinal)).ToList();
        positions.Should().NotContain(-1, "every section must be present").And.BeInAscendingOrder();
    }

    [Test]
    public void Write_SampleModel_VerdictTableHasOneRowPerTensor()
    {
        var lines = File.ReadAllLines(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        lines.Should().Contain("| tensor | verdict | kind | max abs | budget used | worst element |");
        lines.Should().Contain("| `attn.q` | PASS | passed | 0.000488281 | 0.5 | \\[0, 2, 4\\]: 0.25 vs 0.2495 |");
        lines.Should().Contain("| `attn.probs` | FAIL | origin | 0.31 | 55.2× | \\[0, 1, 4, 2\\]: kernel 0.42 vs truth 0.11 |");
    }

    [Test]
    public void Write_SampleModel_TablesOfStagesInvariantsAndHypotheses()
    {
        var lines = File.ReadAllLines(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        lines.Should().Contain("| softmax | `attn.softmax_rowsum`, `attn.probs` | 0.31 | 55.2× | 0 | FAIL: introduces error |");
        lines.Should().Contain("| rows sum to 1 | `attn.probs` | FAIL | worst row sum 1.31 at row 4 |");
        lines.Should().Contain("| LayerNorm mean 0 | `attn.output` | n/a | gamma/beta not given |");
        lines.Should().Contain("| 1 | SoftmaxWithoutMaxSubtraction | exp overflows for large scores | 97.5% | yes | residual 0.0004 |");
        lines.Should().Contain("| rmse | 0.052 |");
        lines.Should().Contain("### `attn.probs` — FAIL (origin)").And.Contain("### `attn.q` — PASS");
        lines.Should().Contain("1. attn.probs is the first tensor out of budget: the softmax drops the row maximum.");
        lines.Should().Contain("- mask applied to the wrong axis");
    }

    [Test]
    public void Write_FailingTensorWithPlotData_LinksTwoPngsThatExist()
    {
        var text = File.ReadAllText(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        var links = Regex.Matches(text, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        links.Should().Equal("02-attn.probs-heatmap.png", "02-attn.probs-histogram.png");
        links.Should().OnlyContain(l => File.Exists(Path.Combine(OutputDirectory, l)));
        Directory.GetFiles(OutputDirectory, "*.png").Should().HaveCount(2, "a passing tensor gets no plots by default");
    }

    [Test]
    public void Write_PlotAllTensors_PlotsPassingTensorsToo()
    {
        MarkdownReport.Write(SampleReport.Build() with { PlotAllTensors = true }, OutputDirectory);

        Directory.GetFiles(OutputDirectory, "*.png").Select(Path.GetFileName)
            .Should().BeEquivalentTo("01-attn.q-histogram.png", "02-attn.probs-heatmap.png", "02-attn.probs-histogram.png");
    }

    [Test]
    public void Write_MarkupInNamesAndCells_IsEscapedAndKeepsTheColumns()
    {
        var lines = File.ReadAllLines(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        var row = lines.Single(l => l.StartsWith("| `<script>", StringComparison.Ordinal));
        row.Should().Contain("\\<b\\>");
        Regex.Split(row, @"(?<!\\)\|").Should().HaveCount(8, "six cells between seven unescaped pipes");
        var text = string.Join('\n', lines);
        var outsideCode = Regex.Replace(Regex.Replace(text, @"(?ms)^(`{3,})text\n.*?^\1$", string.Empty), @"(`+).+?\1", string.Empty);
        Regex.IsMatch(outsideCode, @"(?<!\\)[<>]").Should().BeFalse("markup may appear raw only inside code spans and code blocks");
    }

    [Test]
    public void Write_DumpContainingAFence_UsesALongerFence()
    {
        var text = File.ReadAllText(MarkdownReport.Write(SampleReport.Build(), OutputDirectory));

        text.Should().Contain("````text\n=== attn.probs ===\nShape: [1, 3, 7, 7]\nDtype: float16\n```\nfence inside\n````\n");
    }
}
