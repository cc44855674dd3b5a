using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>One tensor to write, stored in <paramref name="Dtype"/> (values rounded to nearest even).</summary>
public sealed record SafetensorsTensor(string Name, HostTensor Tensor, ElementType Dtype);

/// <summary>Writes safetensors files: u64 LE header length, JSON header padded to 8 bytes, then the tensors back to back.</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var duplicate = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"safetensors '{path}': tensor '{duplicate.Key}' given twice");
        }

        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var t in tensors)
        {
            var bytes = t.Tensor.Count * SafetensorsDtype.SizeOf(SafetensorsDtype.NameOf(t.Dtype))!.Value;
            header[t.Name] = new Dictionary<string, object>
            {
                ["dtype"] = SafetensorsDtype.NameOf(t.Dtype),
                ["shape"] = t.Tensor.Shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The format's own writer pads the header with spaces so the data section starts 8-byte aligned.
        var padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(json);
        stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
        foreach (var t in tensors)
        {
            var size = SafetensorsDtype.SizeOf(SafetensorsDtype.NameOf(t.Dtype))!.Value;
            var buffer = new byte[t.Tensor.Count * size];
            SafetensorsDtype.Encode(t.Dtype, t.Tensor.Data, buffer);
            stream.Write(buffer);
        }
    }
}
