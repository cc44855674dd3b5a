using System.Globalization;
using Harness.Kernels;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The `harness variants` listing: the libraries with their ABI, a compact table, then one description line per variant.</summary>
public static class VariantTable
{
    public static void Write(IAnsiConsole console, VariantCatalog catalog)
    {
        foreach (var library in catalog.Libraries)
        {
            console.MarkupLine($"library {Markup.Escape(library.Path)}: ABI {library.AbiVersion}{(library.AbiVersion < 2 ? " (synchronous runs only)" : string.Empty)}");
        }

        var table = new Table().AddColumns("variant", "device", "semantics", "dtype", "weights", "k", "abi", "flags", "limits", "shapes");
        foreach (var v in catalog.Variants)
        {
            table.AddRow(
                Markup.Escape(v.IsExternal ? $"{v.Name} (external)" : v.Name),
                v.Device.ToString().ToLowerInvariant(),
                string.Join("|", v.Semantics),
                v.Dtype.ToString().ToLowerInvariant(),
                v.Layout == WeightLayout.InOut ? "[[in,out]]" : "[[out,in]]",
                v.DefaultAccumulationGroup == 0 ? "fp32" : v.DefaultAccumulationGroup.ToString(CultureInfo.InvariantCulture),
                v.Abi.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(FlagWords(v.Flags)),
                Markup.Escape(v.Limits.ToString()),
                Markup.Escape(v.Shapes));
        }

        console.Write(table);
        foreach (var v in catalog.Variants)
        {
            console.MarkupLine($"[bold]{Markup.Escape(v.Name)}[/]: {Markup.Escape(v.Description)}");
        }
    }

    /// <summary>"async|test-only", or "-" for none.</summary>
    public static string FlagWords(VariantFlags flags) => flags == VariantFlags.None ? "-" : string.Join("|", VariantJson.FlagNames(flags));
}
