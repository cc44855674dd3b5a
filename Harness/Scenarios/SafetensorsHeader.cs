using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>Parses and checks the JSON header of a safetensors file; every failure names the file and the tensor.</summary>
internal static class SafetensorsHeader
{
    public static (Dictionary<string, SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(string file, ReadOnlySpan<byte> json, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"safetensors '{file}': header is not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"safetensors '{file}': header is a JSON {doc.RootElement.ValueKind}, expected an object of tensors");
            }

            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(file, property.Value, metadata);
                    continue;
                }

                entries[property.Name] = ReadEntry(file, property.Name, property.Value, dataLength);
            }

            CheckNoOverlap(file, entries.Values);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"safetensors '{file}': __metadata__ must be an object of strings");
        }

        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException($"safetensors '{file}': __metadata__.{p.Name} must be a string");
            }

            metadata[p.Name] = p.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string file, string name, JsonElement value, long dataLength)
    {
        string Where() => $"safetensors '{file}': tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"{Where()}: header entry must be an object with dtype, shape and data_offsets");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new CheckpointException($"{Where()}: dtype is missing or not a string");
        }

        var dtype = dtypeElement.GetString()!;
        var shape = ReadIntegers(value, "shape", Where);
        var offsets = ReadIntegers(value, "data_offsets", Where);
        if (offsets.Length != 2)
        {
            throw new CheckpointException($"{Where()}: data_offsets must hold two integers [begin, end], got {offsets.Length}");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
        {
            throw new CheckpointException($"{Where()}: data_offsets [{begin}, {end}] out of range: begin is after end");
        }

        if (SafetensorsDtype.SizeOf(dtype) is { } size)
        {
            long entryBytes;
            try
            {
                entryBytes = checked(new SafetensorsEntry(name, dtype, shape, begin, end).ElementCount * size);
            }
            catch (OverflowException)
            {
                throw new CheckpointException($"{Where()}: shape [{string.Join(", ", shape)}] is too large to address");
            }

            if (end - begin != entryBytes)
            {
                throw new CheckpointException($"{Where()}: data_offsets [{begin}, {end}] span {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {entryBytes}");
            }
        }

        if (end > dataLength)
        {
            throw new CheckpointException($"{Where()}: truncated data: data_offsets end at byte {end} of the data section but the file holds only {dataLength} data bytes");
        }

        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement entry, string field, Func<string> where)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointException($"{where()}: {field} is missing or not an array");
        }

        var result = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
            {
                throw new CheckpointException($"{where()}: {field}[{i}] must be a non-negative integer, got {item.GetRawText()}");
            }

            result[i++] = v;
        }

        return result;
    }

    private static void CheckNoOverlap(string file, IEnumerable<SafetensorsEntry> entries)
    {
        SafetensorsEntry? previous = null;
        foreach (var e in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && e.Begin < previous.End)
            {
                throw new CheckpointException(
                    $"safetensors '{file}': tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}] overlap tensor '{previous.Name}' [{previous.Begin}, {previous.End}]");
            }

            previous = e;
        }
    }
}
