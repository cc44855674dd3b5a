using System.CommandLine;
using Harness.Kernels;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness variants [--variant-lib PATH] [--json]`: every variant with device, semantics, ABI, flags and shape limits.</summary>
public static class VariantsCommand
{
    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print the registry as JSON on stdout (for scripts): libraries with their ABI, variants with device, semantics, flags and limits.",
    };

    public static Command Create() => CommandFactory.Create(
        "variants",
        "List every kernel variant (built-in and --variant-lib) with device, semantics, ABI, flags and shape limits.",
        [CommonOptions.VariantLib, CommonOptions.NativeLib, JsonOption],
        parse =>
        {
            CommonOptions.ApplyNativeLib(parse);
            var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
            if (parse.GetValue(JsonOption))
            {
                VariantJson.Write(Console.Out, catalog);
            }
            else
            {
                VariantTable.Write(AnsiConsole.Console, catalog);
            }

            return 0;
        });
}
