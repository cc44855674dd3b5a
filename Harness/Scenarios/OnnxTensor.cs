using System.Buffers.Binary;

namespace Harness.Scenarios;

/// <summary>An ONNX TensorProto: name, dims, element type, and its values in raw_data or in a typed repeated field.</summary>
public sealed class OnnxTensor
{
    /// <summary>TensorProto.DataType values the harness decodes.</summary>
    private const int Float = 1;
    private const int Int32 = 6;
    private const int Int64 = 7;
    private const int Float16 = 10;
    private const int Double = 11;

    private readonly byte[] bytes;
    private readonly (int Start, int End)? raw;
    private readonly IReadOnlyList<float> floats;
    private readonly IReadOnlyList<long> integers;

    public OnnxTensor(string name, long[] dims, int dataType, byte[] bytes, (int Start, int End)? raw, IReadOnlyList<float> floats, IReadOnlyList<long> integers)
    {
        Name = name;
        Dims = dims;
        DataType = dataType;
        this.bytes = bytes;
        this.raw = raw;
        this.floats = floats;
        this.integers = integers;
    }

    public string Name { get; }

    public long[] Dims { get; }

    /// <summary>onnx.proto's TensorProto.DataType (1 float, 7 int64, ...).</summary>
    public int DataType { get; }

    public long Count => Dims.Aggregate(1L, (a, d) => a * d);

    public string ShapeText => $"[{string.Join(", ", Dims)}]";

    /// <summary>The values as float64; a type other than float, float16, double, int32 or int64, or data that does not fill the dims, is an <see cref="InvalidDataException"/>.</summary>
    public double[] ToDoubles()
    {
        var count = Count;
        var values = new double[count];
        if (raw is { } r)
        {
            var span = bytes.AsSpan(r.Start, r.End - r.Start);
            var size = DataType switch { Float or Int32 => 4, Int64 or Double => 8, Float16 => 2, _ => 0 };
            if (size == 0)
            {
                throw new InvalidDataException($"tensor '{Name}' has ONNX data type {DataType}, which the harness cannot read (float, float16, double, int32, int64)");
            }

            if (span.Length != count * size)
            {
                throw new InvalidDataException($"tensor '{Name}' {ShapeText} holds {span.Length} bytes of data, expected {count * size}");
            }

            for (var i = 0; i < count; i++)
            {
                var at = span[(i * size)..];
                values[i] = DataType switch
                {
                    Float => BinaryPrimitives.ReadSingleLittleEndian(at),
                    Int32 => BinaryPrimitives.ReadInt32LittleEndian(at),
                    Int64 => BinaryPrimitives.ReadInt64LittleEndian(at),
                    Double => BinaryPrimitives.ReadDoubleLittleEndian(at),
                    _ => (double)BinaryPrimitives.ReadHalfLittleEndian(at),
                };
            }

            return values;
        }

        IReadOnlyList<double> typed = DataType switch
        {
            Float => floats.Select(f => (double)f).ToList(),
            Int32 or Int64 => integers.Select(i => (double)i).ToList(),
            _ => throw new InvalidDataException($"tensor '{Name}' has ONNX data type {DataType} outside raw_data, which the harness cannot read (float, int32, int64)"),
        };
        if (typed.Count != count)
        {
            throw new InvalidDataException($"tensor '{Name}' {ShapeText} holds {typed.Count} values, expected {count}");
        }

        typed.ToArray().CopyTo(values, 0);
        return values;
    }
}
