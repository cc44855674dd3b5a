using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

/// <summary>Every variant of the project's library plus those of any out-of-tree libraries (ABI 1 or 2).</summary>
public sealed class VariantCatalog
{
    private VariantCatalog(IReadOnlyList<KernelVariant> variants, IReadOnlyList<KernelLibrary> libraries)
    {
        Variants = variants;
        Libraries = libraries;
    }

    public IReadOnlyList<KernelVariant> Variants { get; }

    /// <summary>The loaded libraries, the built-in one first.</summary>
    public IReadOnlyList<KernelLibrary> Libraries { get; }

    /// <summary>The variants a default list shows (every one not flagged test-only), in catalog order.</summary>
    public IEnumerable<KernelVariant> Default => Variants.Where(v => !v.IsTestOnly);

    /// <summary>Loads the built-in library and, when <paramref name="externalLibrary"/> is given, that one too.</summary>
    public static VariantCatalog Load(string? externalLibrary = null) => Load(externalLibrary is null ? [] : [externalLibrary]);

    /// <summary>Loads the built-in library and every out-of-tree one given; each tensor table is checked first.</summary>
    public static VariantCatalog Load(IEnumerable<string> externalLibraries)
    {
        var builtIn = KernelLibrary.BuiltIn();
        TensorTableCheck.Verify(builtIn);
        var libraries = new List<KernelLibrary> { builtIn };
        var variants = builtIn.VariantInfos().Select(i => KernelVariant.FromNative(i, builtIn, isExternal: false)).ToList();
        foreach (var path in externalLibraries)
        {
            var external = KernelLibrary.External(path);
            if (libraries.Contains(external))
            {
                continue;
            }

            TensorTableCheck.Verify(external);
            libraries.Add(external);
            foreach (var info in external.VariantInfos())
            {
                var v = KernelVariant.FromNative(info, external, isExternal: true);
                if (variants.FirstOrDefault(x => x.Name == v.Name) is { } existing)
                {
                    throw new ArgumentException($"--variant-lib {external.Path}: variant '{v.Name}' is already defined by {existing.Library.Path}");
                }

                variants.Add(v);
            }
        }

        return new VariantCatalog(variants, libraries);
    }

    public KernelVariant Find(string name) =>
        Variants.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"unknown variant '{name}'{Suggestions.DidYouMean(name, Variants.Select(v => v.Name))}; known: {string.Join(", ", Variants.Select(v => v.Name))}");
}
