using System.CommandLine;
using Harness.Kernels;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness variants [--variant-lib PATH]`: every variant with device, semantics and supported shapes.</summary>
public static class VariantsCommand
{
    public static Command Create() => CommandFactory.Create(
        "variants",
        "List every kernel variant (built-in and --variant-lib) with device, semantics and supported shapes.",
        [CommonOptions.VariantLib, CommonOptions.NativeLib],
        parse =>
        {
            CommonOptions.ApplyNativeLib(parse);
            var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
            VariantTable.Write(AnsiConsole.Console, catalog.Variants);
            return 0;
        });
}
