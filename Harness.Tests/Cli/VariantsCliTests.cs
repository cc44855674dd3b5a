using System.Text.Json.Nodes;
using Harness.Cli;
using Harness.Kernels;
using Harness.Reporting;
using Harness.Tests.Support;
using Spectre.Console;

namespace Harness.Tests.Cli;

/// <summary>`harness variants` (table and --json, the registry scripts read) and the limits refusal on the command line.</summary>
[NonParallelizable]
public sealed class VariantsCliTests
{
    [Test]
    public void VariantsJson_WithTestVariantsLibrary_ListsLibrariesAbiFlagsAndLimits()
    {
        var (code, output, _) = Run("variants", "--json", "--variant-lib", TestLibraries.TestVariants);

        code.Should().Be(0);
        var json = JsonNode.Parse(output)!;
        json["schemaVersion"]!.GetValue<int>().Should().Be(1);
        json["libraries"]!.AsArray().Select(l => l!["abi"]!.GetValue<int>()).Should().Equal(2, 2);
        var throwaway = json["variants"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "cpu-throwaway")!;
        throwaway["flags"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("test-only");
        throwaway["testOnly"]!.GetValue<bool>().Should().BeTrue();
        throwaway["limits"]!["headSize"]!["multipleOf"]!.GetValue<long>().Should().Be(2);
        throwaway["limits"]!["model"]!["max"]!.GetValue<long>().Should().Be(1024);
        throwaway["libraryAbi"]!.GetValue<int>().Should().Be(2);
        throwaway["device"]!.GetValue<string>().Should().Be("cpu");
    }

    [Test]
    public void VariantsJson_Abi1Library_SaysAbi1()
    {
        var (code, output, _) = Run("variants", "--json", "--variant-lib", TestLibraries.Abi1);

        code.Should().Be(0);
        var variant = JsonNode.Parse(output)!["variants"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "abi1-qkv-projection")!;
        variant["libraryAbi"]!.GetValue<int>().Should().Be(1);
        variant["async"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public void VariantTable_WithTestVariantsLibrary_ShowsAbiFlagsAndLimits()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400;

        VariantTable.Write(console, VariantCatalog.Load(TestLibraries.TestVariants));

        var text = writer.ToString();
        text.Should().Contain($"{TestLibraries.TestVariants}: ABI 2");
        text.Split('\n').Single(l => l.Contains("cpu-throwaway") && l.Contains('│')).Should().Contain("test-only").And.Contain("D multiple of 2, M 1..1024");
    }

    [Test]
    public void VariantTable_AtTheCommandLinesWidth_EveryLineFits()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = Entry.TableWidth;

        VariantTable.Write(console, VariantCatalog.Load(TestLibraries.TestVariants));

        var rows = writer.ToString().Split('\n').Where(l => l.Contains('│')).ToList();
        rows.Should().NotBeEmpty();
        rows.Should().OnlyContain(l => l.TrimEnd('\r').Length <= Entry.TableWidth);
    }

    [Test]
    public void Verify_ShapeOutsideVariantLimits_OneLineNamingTheLimitExitTwo()
    {
        var (code, _, error) = Run("verify", "--variant", "cpu-throwaway", "--variant-lib", TestLibraries.TestVariants, "--scenario", "small");

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("harness: error: ").And.Contain("D=5").And.Contain("multiple of 2");
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var (savedOut, savedError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = Entry.Run(args);
            return (code, output.ToString(), string.Join('\n', error.ToString().Split('\n').Where(l => !l.StartsWith('['))));
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
        }
    }
}
