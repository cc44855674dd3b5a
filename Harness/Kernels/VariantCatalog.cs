using Harness.Native;

namespace Harness.Kernels;

/// <summary>Every variant of the project's library plus, optionally, those of one out-of-tree library.</summary>
public sealed class VariantCatalog
{
    private VariantCatalog(IReadOnlyList<KernelVariant> variants) => Variants = variants;

    public IReadOnlyList<KernelVariant> Variants { get; }

    /// <summary>Loads the built-in library and, when <paramref name="externalLibrary"/> is given, that one too.</summary>
    public static VariantCatalog Load(string? externalLibrary = null)
    {
        var builtIn = KernelLibrary.BuiltIn();
        var variants = builtIn.VariantInfos().Select(i => KernelVariant.FromNative(i, builtIn, isExternal: false)).ToList();
        if (externalLibrary is not null)
        {
            var external = KernelLibrary.External(externalLibrary);
            foreach (var info in external.VariantInfos())
            {
                var v = KernelVariant.FromNative(info, external, isExternal: true);
                if (variants.Any(x => x.Name == v.Name))
                {
                    throw new ArgumentException($"--variant-lib {external.Path}: variant '{v.Name}' is already defined by the built-in library");
                }

                variants.Add(v);
            }
        }

        return new VariantCatalog(variants);
    }

    public KernelVariant Find(string name) =>
        Variants.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"unknown variant '{name}'; known: {string.Join(", ", Variants.Select(v => v.Name))}");
}
