using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Dumps;

/// <summary>
/// Parses a printed statistics log: blocks of "=== name ===" followed by Shape, Dtype, [Device,] Min, Max, Mean, Std
/// and "First 10 values" lines, in the harness's own format, the C++ style (Dtype: c10::Half, values separated by
/// spaces) or the Python style (Dtype: torch.float16, Shape: torch.Size([…]), values as a list, Device: lines).
/// Lines outside blocks (a program's other output, the trace's "#" headers) are skipped; a block is its header and
/// the field lines right after it. Every malformed block is an error naming its line.
/// </summary>
public static partial class StatsLogParser
{
    private static readonly string[] Required = ["Shape", "Dtype", "Min", "Max", "Mean", "Std", "First 10 values"];

    private static readonly string[] Optional = ["Device", "Non-finite"];

    public static IReadOnlyList<LoggedTensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"statistics log '{path}': file not found");
        }

        return Parse(File.ReadAllLines(path), $"statistics log '{path}'");
    }

    public static IReadOnlyList<LoggedTensor> Parse(IReadOnlyList<string> lines, string source)
    {
        var tensors = new List<LoggedTensor>();
        var i = 0;
        while (i < lines.Count)
        {
            var header = HeaderPattern().Match(lines[i]);
            if (!header.Success)
            {
                i++;
                continue;
            }

            var start = i + 1;
            var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
            i++;
            while (i < lines.Count && FieldPattern().Match(lines[i]) is { Success: true } field
                   && (Required.Contains(field.Groups[1].Value) || Optional.Contains(field.Groups[1].Value)))
            {
                if (!fields.TryAdd(field.Groups[1].Value, (field.Groups[2].Value.Trim(), i + 1)))
                {
                    throw Error(source, i + 1, $"block '{header.Groups[1].Value}' has a second {field.Groups[1].Value} line");
                }

                i++;
            }

            tensors.Add(Block(header.Groups[1].Value.Trim(), start, fields, source, i + 1));
        }

        if (tensors.Count == 0)
        {
            throw new DumpFormatException($"{source}: no \"=== name ===\" blocks found");
        }

        var duplicate = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var at = duplicate.Select(t => t.Line.ToString(CultureInfo.InvariantCulture)).ToList();
            throw Error(source, duplicate.Last().Line,
                $"'{duplicate.Key}' appears again (lines {string.Join(" and ", at)}); a log of several runs (e.g. `trace` of both semantics) must be cut to one");
        }

        return tensors;
    }

    private static LoggedTensor Block(string name, int line, Dictionary<string, (string Value, int Line)> fields, string source, int endLine)
    {
        foreach (var required in Required)
        {
            if (!fields.ContainsKey(required))
            {
                throw Error(source, endLine, $"block '{name}' (line {line}) is truncated: it ends before its {required} line");
            }
        }

        var (dtype, style) = Dtype(fields["Dtype"], source);
        var shape = Shape(fields["Shape"], source);
        var first = Values(fields["First 10 values"], source);
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (first.Count != Math.Min(10, count))
        {
            throw Error(source, fields["First 10 values"].Line,
                $"'{name}' has shape [{string.Join(", ", shape)}] ({count} elements) but {first.Count} first values; expected {Math.Min(10, count)}");
        }

        return new LoggedTensor
        {
            Name = name,
            Line = line,
            Style = style,
            Shape = shape,
            Dtype = dtype,
            Min = Number(fields["Min"], "Min", source),
            Max = Number(fields["Max"], "Max", source),
            Mean = Number(fields["Mean"], "Mean", source),
            Std = Number(fields["Std"], "Std", source),
            First = first,
        };
    }

    private static (ElementType, LogStyle) Dtype((string Value, int Line) field, string source) => field.Value switch
    {
        "float16" => (ElementType.Float16, LogStyle.Harness),
        "float32" => (ElementType.Float32, LogStyle.Harness),
        "float64" => (ElementType.Float64, LogStyle.Harness),
        "bfloat16" => (ElementType.BFloat16, LogStyle.Harness),
        "c10::Half" => (ElementType.Float16, LogStyle.Cpp),
        "float" or "c10::Float" => (ElementType.Float32, LogStyle.Cpp),
        "double" or "c10::Double" => (ElementType.Float64, LogStyle.Cpp),
        "c10::BFloat16" => (ElementType.BFloat16, LogStyle.Cpp),
        "torch.float16" or "torch.half" => (ElementType.Float16, LogStyle.Python),
        "torch.float32" or "torch.float" => (ElementType.Float32, LogStyle.Python),
        "torch.float64" or "torch.double" => (ElementType.Float64, LogStyle.Python),
        "torch.bfloat16" => (ElementType.BFloat16, LogStyle.Python),
        _ => throw Error(source, field.Line,
            $"unknown dtype '{field.Value}' (known: float16/32/64, bfloat16, c10::Half, c10::Float, c10::BFloat16, float, double, torch.float16, torch.float32, torch.bfloat16, …)"),
    };

    private static long[] Shape((string Value, int Line) field, string source)
    {
        var match = ShapePattern().Match(field.Value);
        if (!match.Success)
        {
            throw Error(source, field.Line, $"shape '{field.Value}' is not a list of dimensions like [1, 384, 768] or torch.Size([1, 384, 768])");
        }

        var parts = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw Error(source, field.Line, $"shape '{field.Value}' has a dimension '{parts[i]}' that is not a non-negative integer");
            }
        }

        return shape;
    }

    private static List<LoggedNumber> Values((string Value, int Line) field, string source)
    {
        var text = field.Value.Trim();
        var list = text.StartsWith('[');
        if (list != text.EndsWith(']'))
        {
            throw Error(source, field.Line, $"first values '{text}' open or close a list without the other bracket");
        }

        var body = list ? text[1..^1] : text;
        var parts = body.Split(list ? [','] : [' ', '\t'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new List<LoggedNumber>();
        foreach (var part in parts)
        {
            values.Add(LoggedNumber.TryParse(part, out var n) ? n : throw Error(source, field.Line, $"first value '{part}' is not a number"));
        }

        return values;
    }

    private static LoggedNumber Number((string Value, int Line) field, string what, string source) =>
        LoggedNumber.TryParse(field.Value, out var n) ? n : throw Error(source, field.Line, $"{what} '{field.Value}' is not a number");

    private static DumpFormatException Error(string source, int line, string message) => new($"{source}, line {line}: {message}");

    [GeneratedRegex(@"^\s*===\s*(.+?)\s*===\s*$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9 -]*?)\s*:\s*(.*)$")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"^(?:torch\.Size\(\s*)?\[([^\]]*)\]\)?$")]
    private static partial Regex ShapePattern();
}
