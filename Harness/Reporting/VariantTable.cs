using Harness.Kernels;
using Spectre.Console;

namespace Harness.Reporting;

/// <summary>The `harness variants` listing.</summary>
public static class VariantTable
{
    public static void Write(IAnsiConsole console, IEnumerable<KernelVariant> variants)
    {
        var table = new Table().AddColumns("variant", "device", "semantics", "dtype", "weights", "k", "shapes", "description");
        foreach (var v in variants)
        {
            table.AddRow(
                Markup.Escape(v.IsExternal ? $"{v.Name} (external)" : v.Name),
                v.Device.ToString().ToLowerInvariant(),
                string.Join("|", v.Semantics),
                v.Dtype.ToString().ToLowerInvariant(),
                v.Layout == WeightLayout.InOut ? "[in,out]" : "[out,in]",
                v.DefaultAccumulationGroup == 0 ? "fp32" : v.DefaultAccumulationGroup.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(v.Shapes),
                Markup.Escape(v.Description));
        }

        console.Write(table);
    }
}
