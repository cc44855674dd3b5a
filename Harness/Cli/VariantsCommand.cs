using System.CommandLine;
using Harness.Kernels;
using Harness.Reporting;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness variants [--variant-lib PATH]`: every variant with device, semantics and supported shapes.</summary>
public static class VariantsCommand
{
    public static Command Create()
    {
        var command = new Command("variants", "List every kernel variant (built-in and --variant-lib) with device, semantics and supported shapes.");
        command.Options.Add(CommonOptions.VariantLib);
        command.Options.Add(CommonOptions.NativeLib);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            CommonOptions.ApplyNativeLib(parse);
            var catalog = VariantCatalog.Load(parse.GetValue(CommonOptions.VariantLib));
            VariantTable.Write(AnsiConsole.Console, catalog.Variants);
            return 0;
        }));
        return command;
    }
}
