namespace Harness.Model;

/// <summary>Element types the harness computes in or receives from kernels.</summary>
public enum ElementType
{
    Float64,
    Float32,
    Float16,
    BFloat16,
}

public static class ElementTypes
{
    /// <summary>The name dumps print (PyTorch's spelling, docs/SEMANTICS.md §5).</summary>
    public static string DumpName(this ElementType t) => t switch
    {
        ElementType.Float64 => "float64",
        ElementType.Float32 => "float32",
        ElementType.Float16 => "float16",
        ElementType.BFloat16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    public static ElementType Parse(string text) => text.ToLowerInvariant() switch
    {
        "float64" or "f64" or "double" => ElementType.Float64,
        "float32" or "f32" or "float" => ElementType.Float32,
        "float16" or "f16" or "half" => ElementType.Float16,
        "bfloat16" or "bf16" => ElementType.BFloat16,
        _ => throw new ArgumentException($"unknown dtype '{text}'{Suggestions.DidYouMean(text, ["float64", "float32", "float16", "bfloat16"])}; expected float64, float32, float16 or bfloat16"),
    };

    /// <summary>Rounds a value to the nearest representable value of the type (round to nearest even).</summary>
    public static double Round(this ElementType t, double v) => t switch
    {
        ElementType.Float64 => v,
        ElementType.Float32 => (float)v,
        ElementType.Float16 => HalfConversions.Round(v),
        ElementType.BFloat16 => RoundBFloat16(v),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    private static double RoundBFloat16(double v)
    {
        var bits = BitConverter.SingleToUInt32Bits((float)v);
        if (float.IsNaN((float)v))
        {
            return double.NaN;
        }

        var rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle(rounded & 0xFFFF0000u);
    }
}
