using Harness.Native;

namespace Harness.Tests.Native;

public sealed class LibraryResolutionTests
{
    [Test]
    public void External_MissingFile_IsOneClearError()
    {
        var act = () => KernelLibrary.External("/nonexistent/libsomething.so");

        act.Should().Throw<KernelLibraryNotFoundException>().WithMessage("*/nonexistent/libsomething.so*does not exist*");
    }

    [Test]
    public void External_FileThatIsNotALibrary_IsOneClearError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "this is not an ELF file");
        try
        {
            var act = () => KernelLibrary.External(path);

            act.Should().Throw<KernelLibraryNotFoundException>().WithMessage($"*{path}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void BuiltIn_FromTheBuildFolder_LoadsAndListsVariants()
    {
        var library = KernelLibrary.BuiltIn();

        library.Path.Should().EndWith(KernelLibraryResolver.FileName);
        library.VariantInfos().Should().NotBeEmpty();
    }
}
