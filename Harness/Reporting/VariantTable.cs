using System.Globalization;
using Harness.Kernels;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The `harness variants` listing: a compact table, then one description line per variant.</summary>
public static class VariantTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<KernelVariant> variants)
    {
        var table = new Table().AddColumns("variant", "device", "semantics", "dtype", "weights", "k", "shapes");
        foreach (var v in variants)
        {
            table.AddRow(
                Markup.Escape(v.IsExternal ? $"{v.Name} (external)" : v.Name),
                v.Device.ToString().ToLowerInvariant(),
                string.Join("|", v.Semantics),
                v.Dtype.ToString().ToLowerInvariant(),
                v.Layout == WeightLayout.InOut ? "[[in,out]]" : "[[out,in]]",
                v.DefaultAccumulationGroup == 0 ? "fp32" : v.DefaultAccumulationGroup.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(v.Shapes));
        }

        console.Write(table);
        foreach (var v in variants)
        {
            console.MarkupLine($"[bold]{Markup.Escape(v.Name)}[/]: {Markup.Escape(v.Description)}");
        }
    }
}
