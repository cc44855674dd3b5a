
namespace Harness.Tests.Reporting.Documents;

/// <summary>A fresh temporary directory per test, removed afterwards.</summary>
public abstract class ReportDirectory
{
    protected string OutputDirectory { get; private set; } = string.Empty;

    [SetUp]
    public void CreateDirectory() => OutputDirectory = Directory.CreateTempSubdirectory("harness-report-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(OutputDirectory, recursive: true);
}
