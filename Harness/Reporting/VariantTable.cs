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

        // Short codes keep the table within 120 columns; the free text (shapes, description) follows, one line each.
        var table = new Table().AddColumns("variant", "device", "semantics", "dtype", "weights", "k", "abi", "flags", "limits");
        foreach (var v in catalog.Variants)
        {
            table.AddRow(
                Markup.Escape(v.IsExternal ? $"{v.Name} (external)" : v.Name),
                v.Device.ToString().ToLowerInvariant(),
                string.Join("|", v.Semantics.Select(s => s == "huggingface" ? "hf" : s)),
                v.Dtype.ToString().ToLowerInvariant().Replace("float", "fp", StringComparison.Ordinal),
                v.Layout == WeightLayout.InOut ? "in,out" : "out,in",
                v.DefaultAccumulationGroup == 0 ? "fp32" : v.DefaultAccumulationGroup.ToString(CultureInfo.InvariantCulture),
                v.Abi.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(FlagWords(v.Flags)),
                Markup.Escape(v.Limits.ToString()));
        }

        // Names and codes never break; flags and limits wrap to fit the console's width.
        foreach (var column in table.Columns.Take(7))
        {
            column.NoWrap();
        }

        console.Write(table);
        console.MarkupLine("semantics: hf = huggingface; weights: nn.Linear [[out,in]] or Souffle [[in,out]]; k: fp16 accumulation group (fp32: none)");
        foreach (var v in catalog.Variants)
        {
            console.MarkupLine($"[bold]{Markup.Escape(v.Name)}[/]: {Markup.Escape(v.Description)} Shapes: {Markup.Escape(v.Shapes)}.");
        }
    }

    /// <summary>"async|test-only", or "-" for none.</summary>
    public static string FlagWords(VariantProperties flags) => flags == VariantProperties.None ? "-" : string.Join("|", VariantJson.FlagNames(flags));
}
