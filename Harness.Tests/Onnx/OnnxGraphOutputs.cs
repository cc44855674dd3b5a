using System.Text;

namespace Harness.Tests.Onnx;

/// <summary>
/// Rewrites serialised ONNX model bytes with extra graph outputs, so ONNX Runtime returns intermediate values: every
/// ModelProto field is copied as it is, and GraphProto (field 7) gets one ValueInfoProto (GraphProto.output = 12) per
/// name, typed as a float tensor of unspecified shape. Protobuf lets a repeated field's entries come anywhere in the
/// message, so appending them is enough.
/// </summary>
internal static class OnnxGraphOutputs
{
    private const int FloatElementType = 1;

    public static byte[] With(byte[] model, IEnumerable<string> names)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < model.Length)
        {
            var start = position;
            var key = ReadVarint(model, ref position);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            var payloadStart = position;
            var end = wire switch
            {
                0 => SkipVarint(model, position),
                1 => position + 8,
                2 => LengthDelimitedEnd(model, ref payloadStart),
                5 => position + 4,
                _ => throw new InvalidDataException($"wire type {wire}"),
            };
            if (field == 7 && wire == 2)
            {
                var graph = new MemoryStream();
                graph.Write(model, payloadStart, end - payloadStart);
                foreach (var name in names)
                {
                    WriteField(graph, 12, ValueInfo(name));
                }

                WriteField(output, 7, graph.ToArray());
            }
            else
            {
                output.Write(model, start, end - start);
            }

            position = end;
        }

        return output.ToArray();
    }

    private static byte[] ValueInfo(string name)
    {
        var tensorType = new MemoryStream();
        WriteVarint(tensorType, (1 << 3) | 0);
        WriteVarint(tensorType, FloatElementType);
        var type = new MemoryStream();
        WriteField(type, 1, tensorType.ToArray());
        var info = new MemoryStream();
        WriteField(info, 1, Encoding.UTF8.GetBytes(name));
        WriteField(info, 2, type.ToArray());
        return info.ToArray();
    }

    private static void WriteField(Stream s, int field, byte[] payload)
    {
        WriteVarint(s, ((ulong)field << 3) | 2);
        WriteVarint(s, (ulong)payload.Length);
        s.Write(payload);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        s.WriteByte((byte)value);
    }

    private static ulong ReadVarint(byte[] b, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var x = b[position++];
            value |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80)
            {
                return value;
            }
        }
    }

    private static int SkipVarint(byte[] b, int position)
    {
        ReadVarint(b, ref position);
        return position;
    }

    private static int LengthDelimitedEnd(byte[] b, ref int payloadStart)
    {
        var length = (int)ReadVarint(b, ref payloadStart);
        return payloadStart + length;
    }
}
