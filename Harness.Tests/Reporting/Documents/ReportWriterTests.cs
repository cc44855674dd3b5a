using Harness.Reporting.Documents;

namespace Harness.Tests.Reporting.Documents;

public sealed class ReportWriterTests : ReportDirectory
{
    [Test]
    public void Write_SampleModel_WritesBothReportsAndTheirPlots()
    {
        var paths = ReportWriter.Write(SampleReport.Build(), Path.Combine(OutputDirectory, "new", "dir"));

        Path.GetFileName(paths.Markdown).Should().Be("report.md");
        Path.GetFileName(paths.Html).Should().Be("report.html");
        paths.Plots.Select(Path.GetFileName).Should().Equal("02-attn.probs-heatmap.png", "02-attn.probs-histogram.png");
        new[] { paths.Markdown, paths.Html }.Concat(paths.Plots).Should().OnlyContain(p => File.Exists(p) && new FileInfo(p).Length > 0);
    }

    [Test]
    public void Write_TensorNameWithPathSeparators_PlotsStayInTheDirectory()
    {
        var model = new ReportModel
        {
            Title = "t",
            Passed = false,
            Tensors = [new TensorSection { Name = "../up/and\\out", Passed = false, Kind = TensorKind.Origin, VerdictLine = "x", MaxAbs = 1, BudgetUsed = 2, AbsErrors = [1e-3, 2e-3] }],
        };

        var paths = ReportWriter.Write(model, OutputDirectory);

        paths.Plots.Should().Equal(Path.Combine(OutputDirectory, "01-.._up_and_out-histogram.png"));
        File.Exists(paths.Plots[0]).Should().BeTrue();
    }

    [Test]
    public void Write_NoTensorsNoRows_SaysSoInsteadOfEmptyTables()
    {
        var model = new ReportModel { Title = "empty", Passed = true };

        var paths = ReportWriter.Write(model, OutputDirectory);

        File.ReadAllText(paths.Markdown).Should().Contain("No tensors were compared.").And.Contain("No invariant was checked.");
        File.ReadAllText(paths.Html).Should().Contain("<p class=\"empty\">No stage was run in isolation.</p>");
        paths.Plots.Should().BeEmpty();
    }

    [Test]
    public void Write_EmptyTitle_ThrowsNamingTheField()
    {
        var act = () => ReportWriter.Write(SampleReport.Build() with { Title = " " }, OutputDirectory);

        act.Should().Throw<ArgumentException>().WithMessage("report model: Title is empty");
    }

    [Test]
    public void Write_DuplicateTensor_ThrowsNamingIt()
    {
        var model = SampleReport.Build();
        var act = () => ReportWriter.Write(model with { Tensors = [.. model.Tensors, model.Tensors[1]] }, OutputDirectory);

        act.Should().Throw<ArgumentException>().WithMessage("report model: tensor 'attn.probs' appears twice in Tensors");
    }

    [Test]
    public void Write_EmptyAbsErrors_ThrowsNamingTheTensorAndWritesNothing()
    {
        var model = SampleReport.Build();
        var act = () => ReportWriter.Write(model with { Tensors = [model.Tensors[0], model.Tensors[1] with { AbsErrors = [] }] }, OutputDirectory);

        act.Should().Throw<ArgumentException>().WithMessage("report model: tensor 'attn.probs': AbsErrors is empty*");
        Directory.EnumerateFileSystemEntries(OutputDirectory).Should().BeEmpty();
    }

    [Test]
    public void Write_PassedContradictsKind_ThrowsNamingTheTensor()
    {
        var model = SampleReport.Build();
        var act = () => ReportWriter.Write(model with { Tensors = [model.Tensors[0] with { Kind = TensorKind.Origin }] }, OutputDirectory);

        act.Should().Throw<ArgumentException>().WithMessage("report model: tensor 'attn.q': Passed is True but Kind is Origin");
    }

    [Test]
    public void Write_NullFinding_ThrowsNamingTheIndex()
    {
        var act = () => ReportWriter.Write(SampleReport.Build() with { Findings = ["first", null!] }, OutputDirectory);

        act.Should().Throw<ArgumentException>().WithMessage("report model: Findings[1] is null");
    }

    [Test]
    public void Write_DirectoryIsAFile_ThrowsNamingThePath()
    {
        var file = Path.Combine(OutputDirectory, "taken");
        File.WriteAllText(file, "x");

        var act = () => ReportWriter.Write(SampleReport.Build(), file);

        act.Should().Throw<IOException>().WithMessage($"report directory '{file}' is an existing file");
    }
}
