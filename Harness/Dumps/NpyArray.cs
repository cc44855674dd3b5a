using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Dumps;

/// <summary>
/// The NumPy .npy format (version 1.0 written; 1.0, 2.0 and 3.0 read): the magic "\x93NUMPY", a version, a header
/// length, a Python-literal header dict {'descr', 'fortran_order', 'shape'}, then the C-order data. Little-endian
/// float16, float32 and float64 only: those are the dtypes a kernel's intermediates come in.
/// </summary>
public static partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // The data starts at a multiple of 64 bytes, as numpy writes it (aligned memory maps).
    private const int Alignment = 64;

    public static void Write(Stream stream, HostTensor tensor)
    {
        var descr = tensor.Dtype switch
        {
            ElementType.Float16 => "<f2",
            ElementType.Float32 => "<f4",
            ElementType.Float64 => "<f8",
            _ => throw new ArgumentException($"npy has no {tensor.Dtype.DumpName()}; write this tensor as float32 or use safetensors"),
        };
        var shape = tensor.Shape.Length == 1 ? $"({tensor.Shape[0]},)" : $"({string.Join(", ", tensor.Shape)})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        var unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        var header = dict + new string(' ', (Alignment - (unpadded % Alignment)) % Alignment) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var size = ElementSize(descr);
        var bytes = new byte[tensor.Count * size];
        for (var i = 0; i < tensor.Data.Length; i++)
        {
            var at = bytes.AsSpan(i * size);
            switch (tensor.Dtype)
            {
                case ElementType.Float16: BinaryPrimitives.WriteHalfLittleEndian(at, (Half)tensor.Data[i]); break;
                case ElementType.Float32: BinaryPrimitives.WriteSingleLittleEndian(at, (float)tensor.Data[i]); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(at, tensor.Data[i]); break;
            }
        }

        stream.Write(bytes);
    }

    /// <param name="source">What to call the array in errors ("x.npz: attn.q.npy").</param>
    public static HostTensor Read(Stream stream, string source)
    {
        var prefix = ReadExactly(stream, Magic.Length + 2, source, "the magic and version");
        if (!prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new DumpFormatException($"{source}: not a .npy array (no \\x93NUMPY magic)");
        }

        var major = prefix[Magic.Length];
        var lengthBytes = ReadExactly(stream, major == 1 ? 2 : 4, source, "the header length");
        var headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes),
            2 or 3 => (int)BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes),
            _ => throw new DumpFormatException($"{source}: .npy version {major} is not supported (1, 2, 3)"),
        };
        var header = Encoding.UTF8.GetString(ReadExactly(stream, headerLength, source, "the header"));
        var descr = Field(DescrPattern(), header, source, "descr");
        if (Field(FortranPattern(), header, source, "fortran_order") == "True")
        {
            throw new DumpFormatException($"{source}: fortran_order arrays are not supported; save np.ascontiguousarray(x)");
        }

        var dtype = descr switch
        {
            "<f2" => ElementType.Float16,
            "<f4" => ElementType.Float32,
            "<f8" => ElementType.Float64,
            _ => throw new DumpFormatException($"{source}: dtype '{descr}' is not supported (little-endian float16, float32, float64: <f2, <f4, <f8)"),
        };
        var shape = ParseShape(Field(ShapePattern(), header, source, "shape"), source);
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }

        var size = ElementSize(descr);
        var data = ReadExactly(stream, checked((int)(count * size)), source, $"the {count} elements of shape [{string.Join(", ", shape)}]");
        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            var at = data.AsSpan(i * size);
            values[i] = dtype switch
            {
                ElementType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(at),
                ElementType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(at),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(at),
            };
        }

        return new HostTensor(shape, values, dtype);
    }

    private static int ElementSize(string descr) => descr[2] - '0';

    private static string Field(Regex pattern, string header, string source, string field)
    {
        var match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new DumpFormatException($"{source}: the .npy header has no readable '{field}': {header.Trim()}");
    }

    private static long[] ParseShape(string text, string source)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new DumpFormatException($"{source}: the .npy shape ({text}) has a dimension '{parts[i]}' that is not a non-negative integer");
            }
        }

        return shape;
    }

    private static byte[] ReadExactly(Stream stream, int count, string source, string what)
    {
        var buffer = new byte[count];
        var read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return read == count ? buffer : throw new DumpFormatException($"{source}: truncated: the array ended after {read} of the {count} bytes of {what}");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
