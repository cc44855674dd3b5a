namespace Harness.Scenarios;

/// <summary>
/// Reads the protobuf wire format (varints, length-delimited fields; fixed 32/64-bit fields skipped) over a byte array,
/// for the handful of ONNX fields the harness needs. A field that runs past its message is an
/// <see cref="InvalidDataException"/>: that is how a truncated file shows.
/// </summary>
public sealed class ProtobufReader
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly byte[] bytes;
    private readonly int end;
    private int position;

    public ProtobufReader(byte[] bytes, int start, int end)
    {
        this.bytes = bytes;
        position = start;
        this.end = end;
    }

    public ProtobufReader(byte[] bytes)
        : this(bytes, 0, bytes.Length)
    {
    }

    /// <summary>Advances to the next field; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (position >= end)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (field == 0)
        {
            throw new InvalidDataException($"protobuf field number 0 at byte {position}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= end)
            {
                throw new InvalidDataException($"protobuf varint runs past its message at byte {position}");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException($"protobuf varint longer than 10 bytes at byte {position}");
    }

    /// <summary>The [start, end) byte range of a length-delimited field's payload.</summary>
    public (int Start, int End) ReadRange()
    {
        var length = ReadVarint();
        if (length > (ulong)(end - position))
        {
            throw new InvalidDataException($"protobuf field of {length} bytes at byte {position} runs past its message ({end - position} bytes left)");
        }

        var start = position;
        position += (int)length;
        return (start, position);
    }

    public ProtobufReader ReadMessage()
    {
        var (start, stop) = ReadRange();
        return new ProtobufReader(bytes, start, stop);
    }

    public string ReadString()
    {
        var (start, stop) = ReadRange();
        return System.Text.Encoding.UTF8.GetString(bytes, start, stop - start);
    }

    /// <summary>A repeated integer field, packed (length-delimited) or not.</summary>
    public void ReadIntegers(int wireType, List<long> into)
    {
        if (wireType == LengthDelimited)
        {
            var packed = ReadMessage();
            while (packed.position < packed.end)
            {
                into.Add((long)packed.ReadVarint());
            }
        }
        else
        {
            into.Add((long)ReadVarint());
        }
    }

    /// <summary>A repeated float field, packed or not.</summary>
    public void ReadFloats(int wireType, List<float> into)
    {
        if (wireType == LengthDelimited)
        {
            var (start, stop) = ReadRange();
            for (var i = start; i + 4 <= stop; i += 4)
            {
                into.Add(BitConverter.ToSingle(bytes, i));
            }
        }
        else
        {
            into.Add(BitConverter.ToSingle(ReadFixed(4)));
        }
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                ReadFixed(8);
                break;
            case LengthDelimited:
                ReadRange();
                break;
            case Fixed32:
                ReadFixed(4);
                break;
            default:
                throw new InvalidDataException($"protobuf wire type {wireType} (not one of 0, 1, 2, 5) at byte {position}");
        }
    }

    private ReadOnlySpan<byte> ReadFixed(int size)
    {
        if (end - position < size)
        {
            throw new InvalidDataException($"protobuf fixed field runs past its message at byte {position}");
        }

        position += size;
        return bytes.AsSpan(position - size, size);
    }
}
