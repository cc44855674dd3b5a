using Harness.Tests.Schemas;

namespace Harness.Tests.Foundation;

/// <summary>The harness's own build output (Harness/bin/&lt;configuration&gt;/net10.0), which tests of the built program read.</summary>
internal static class HarnessBuildOutput
{
    // Invariant: the tests are built in the same configuration as the harness they reference, so this test's output
    // folder (Harness.Tests/bin/<configuration>/net10.0) names the harness's. Outside a checkout (a published bundle)
    // there is none, and the test is inconclusive.
    public static string Folder()
    {
        var root = RepositoryRootOrNull();
        Assume.That(root, Is.Not.Null, "not run from a checkout (a published bundle): no harness build output to read");
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? "Release";
        return Path.Combine(root!, "Harness", "bin", configuration, testOutput.Name);
    }

    private static string? RepositoryRootOrNull()
    {
        try
        {
            return SchemaSet.RepositoryRoot;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
