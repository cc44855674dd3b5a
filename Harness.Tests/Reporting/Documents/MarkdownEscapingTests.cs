using Harness.Reporting.Documents;

namespace Harness.Tests.Reporting.Documents;

public sealed class MarkdownEscapingTests : ReportDirectory
{
    [Test]
    public void Write_TensorNameWithBackticksAndPipe_CodeSpanKeepsTheColumns()
    {
        var lines = File.ReadAllLines(MarkdownReport.Write(OneTensor("a``b|c"), OutputDirectory));

        lines.Should().Contain("| ```a``b\\|c``` | FAIL | origin | 1 | 2.0× | - |");
    }

    [Test]
    public void Write_FindingWithMarkdownSyntax_IsLiteral()
    {
        var model = OneTensor("x") with { Findings = ["*not bold* [no link](x) _no_ <i>no</i> a|b\nsecond line"] };

        var lines = File.ReadAllLines(MarkdownReport.Write(model, OutputDirectory));

        lines.Should().Contain("1. \\*not bold\\* \\[no link\\](x) \\_no\\_ \\<i\\>no\\</i\\> a\\|b second line");
    }

    private static ReportModel OneTensor(string name) => new()
    {
        Title = "t",
        Passed = false,
        Tensors = [new TensorSection { Name = name, Passed = false, Kind = TensorKind.Origin, VerdictLine = "x", MaxAbs = 1, BudgetUsed = 2 }],
    };
}
