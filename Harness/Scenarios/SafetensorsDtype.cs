using System.Buffers.Binary;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Element encodings of the safetensors format: their byte sizes, and decoding to / encoding from float64.</summary>
public static class SafetensorsDtype
{
    /// <summary>Byte size of every dtype name the format defines; null for a name it does not define.</summary>
    public static int? SizeOf(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => null,
    };

    /// <summary>Whether the harness can decode the dtype into float64 values.</summary>
    public static bool CanDecode(string dtype) => dtype is "F64" or "F32" or "F16" or "BF16" or "I64" or "I32";

    /// <summary>The element type a decoded tensor reports: integers are held exactly as float64.</summary>
    public static ElementType ElementTypeOf(string dtype) => dtype switch
    {
        "F32" => ElementType.Float32,
        "F16" => ElementType.Float16,
        "BF16" => ElementType.BFloat16,
        _ => ElementType.Float64,
    };

    /// <summary>The safetensors name the writer uses for an element type.</summary>
    public static string NameOf(ElementType t) => t switch
    {
        ElementType.Float64 => "F64",
        ElementType.Float32 => "F32",
        ElementType.Float16 => "F16",
        ElementType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    public static void Decode(string dtype, ReadOnlySpan<byte> bytes, Span<double> values)
    {
        // One loop per dtype: checkpoints hold ~10⁸ elements, too many to dispatch on the dtype name per element.
        switch (dtype)
        {
            case "F64":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                }

                break;
            case "F32":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                break;
            case "F16":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                break;
            case "BF16":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                }

                break;
            case "I64":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
                }

                break;
            case "I32":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
                }

                break;
            default:
                throw new ArgumentException($"cannot decode dtype {dtype}", nameof(dtype));
        }
    }

    /// <summary>Encodes values rounded to nearest even in <paramref name="t"/>.</summary>
    public static void Encode(ElementType t, ReadOnlySpan<double> values, Span<byte> bytes)
    {
        for (var i = 0; i < values.Length; i++)
        {
            switch (t)
            {
                case ElementType.Float64:
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes[(i * 8)..], values[i]);
                    break;
                case ElementType.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * 4)..], (float)values[i]);
                    break;
                case ElementType.Float16:
                    BinaryPrimitives.WriteHalfLittleEndian(bytes[(i * 2)..], (Half)values[i]);
                    break;
                case ElementType.BFloat16:
                    // Round in the shared rounding routine first, so the truncation below drops only zero bits.
                    var rounded = (float)ElementType.BFloat16.Round(values[i]);
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes[(i * 2)..], (ushort)(BitConverter.SingleToUInt32Bits(rounded) >> 16));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(t), t, null);
            }
        }
    }
}
