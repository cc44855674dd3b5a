using System.Text.RegularExpressions;

namespace Harness.Tests.Docs;

/// <summary>
/// Comments cite the project's own statement of the semantics as "docs/SEMANTICS.md §N": every such citation must
/// name a numbered section that exists, and no citation may point at a document outside the repository.
/// </summary>
public partial class SemanticsReferenceTests
{
    private static readonly string[] SourceFolders = ["Harness", "Harness.Tests", "native", "docs", "scripts"];

    private static readonly string[] SourceExtensions = [".cs", ".h", ".cpp", ".cu", ".cuh", ".md", ".sh", ".txt", ".py"];

    [Test]
    public void Sources_EverySemanticsCitation_NamesAnExistingSection()
    {
        var sections = SectionNumbers(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "SEMANTICS.md")));
        var citations = Sources().SelectMany(f => Citation().Matches(File.ReadAllText(f)).Select(m => (File: f, Section: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        citations.Should().NotBeEmpty("the code cites the semantics in several places");
        citations.Where(c => !sections.Contains(c.Section)).Should().BeEmpty("each cited section must exist in docs/SEMANTICS.md");
    }

    [Test]
    public void Sources_NoCitation_PointsOutsideTheRepository()
    {
        // Built from parts so that this file does not cite it.
        var outside = "SPEC" + " §";

        Sources().Where(f => File.ReadAllText(f).Contains(outside, StringComparison.Ordinal)).Should().BeEmpty();
    }

    [TestCase("## 4. fp16 accumulation model\ntext\n## 5. Dump format\n", new[] { 4, 5 })]
    [TestCase("# What\n## Shapes\n### 1. not a section\n", new int[0])]
    public void SectionNumbers_Headings_AreTheNumberedSecondLevelOnes(string markdown, int[] expected) =>
        SectionNumbers(markdown).Should().Equal(expected);

    private static List<int> SectionNumbers(string markdown) =>
        Section().Matches(markdown).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static IEnumerable<string> Sources() =>
        SourceFolders.Select(d => Path.Combine(RepositoryRoot, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => SourceExtensions.Contains(Path.GetExtension(f)))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "build" or "results"));

    private static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("no Harness.sln above the test directory");
        }
    }

    [GeneratedRegex(@"SEMANTICS\.md §(\d+)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"^## (\d+)\. ", RegexOptions.Multiline)]
    private static partial Regex Section();
}
