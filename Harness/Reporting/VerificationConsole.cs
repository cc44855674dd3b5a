using Harness.Comparison;
using Harness.Model;
using Spectre.Console;
using static Harness.Reporting.TensorDumpNumbers;

namespace Harness.Reporting;

/// <summary>The console report of one verification: a table of every compared tensor and the verdict line.</summary>
public static class VerificationConsole
{
    /// <summary>
    /// Max ulps in the tensor's own dtype, or "-" for the float32 accumulators (row sums, LayerNorm Σx, Σx²) of a
    /// narrower kernel: their error comes from its fp16 or bf16 inputs, so counted in float32 ulps it reads as
    /// hundreds of thousands on a tensor well within budget.
    /// </summary>
    public static string UlpCell(string tensor, TensorComparison c, ElementType kernelDtype)
    {
        ArgumentNullException.ThrowIfNull(c);
        return TensorNames.IsFloat32Accumulator(tensor) && kernelDtype is not (ElementType.Float32 or ElementType.Float64)
            ? "-"
            : (c.MaxUlpFp32 ?? c.MaxUlpFp16).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Write(IAnsiConsole console, LayerVerification v, bool dumps)
    {
        var title = v.AgainstVariant is null ? v.Variant : $"{v.Variant} against {v.AgainstVariant}";
        console.MarkupLine(
            $"[bold]{Markup.Escape(title)}[/] on [bold]{Markup.Escape(v.ScenarioName)}[/] ({Markup.Escape(v.Shape.ToString())}): " +
            $"kernel computes {Markup.Escape(v.KernelSemantics)}, judged against {Markup.Escape(v.ReferenceSemantics.Name)} " +
            $"(reference accumulation {Markup.Escape(v.ReferenceSemantics.Accumulation.ToString())}), {(v.KernelElapsed is { } t ? $"kernel {t.TotalMilliseconds:F1} ms" : "from a dump")}");
        var table = new Table().AddColumns("tensor", "verdict", "max abs", "rmse", "budget used", "mismatch", "max ulp", "worst element (kernel vs truth)");
        foreach (var verdict in v.Comparison.Verdicts)
        {
            var c = verdict.Comparison;
            table.AddRow(
                Markup.Escape(verdict.Name),
                verdict.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                Number(c.MaxAbs),
                Number(c.Rmse),
                double.IsNaN(verdict.BudgetUsed) ? "-" : Fraction(verdict.BudgetUsed),
                Percent(c.MismatchPercent),
                UlpCell(verdict.Name, c, v.KernelDtype),
                c.Worst is { } w ? Markup.Escape($"{Shape(w.Index)}: {Number(w.Actual)} vs {Number(w.Expected)}") : "-");
        }

        console.Write(table);
        if (dumps)
        {
            foreach (var verdict in v.Comparison.Verdicts)
            {
                console.WriteLine(TensorDump.RenderSideBySide(verdict.Comparison));
            }
        }

        if (v.NonFiniteTruthExcluded.Count > 0)
        {
            var counts = v.NonFiniteTruthExcluded.OrderBy(p => TensorNames.OrderOf(p.Key)).Select(p => $"{p.Key} {p.Value}");
            console.WriteLine($"not judged (--allow-nonfinite; truth NaN/Inf): {string.Join(", ", counts)} elements");
        }

        if (v.Determinism is { } determinism)
        {
            foreach (var line in DeterminismText.Lines(determinism))
            {
                console.WriteLine(line);
            }
        }

        if (v.Fault is { } fault)
        {
            console.WriteLine($"FAIL: {KernelFaultText.Describe(fault, v.ScenarioName, v.KernelSemantics)}");
        }
        else if (v.Comparison.FirstFailing is { } first)
        {
            console.WriteLine($"FAIL: first failing tensor: {first.Name} ({first.Reason})");
        }
        else
        {
            console.WriteLine(v.Determinism is { IsRace: true }
                ? $"FAIL: all {v.Comparison.Verdicts.Count} tensors within budget, but the result races between runs"
                : $"PASS: all {v.Comparison.Verdicts.Count} tensors within budget");
        }
    }
}
