using System.Runtime.CompilerServices;

namespace Harness.Model;

/// <summary>
/// A dense row-major tensor on the host, values held as float64 whatever <see cref="Dtype"/> says.
/// <see cref="Dtype"/> is the type the values came from (a kernel's fp16 output, the reference's fp32), so the
/// values are exactly representable in it. This is the currency between Scenarios, Reference, Kernels and Comparison.
/// </summary>
public sealed class HostTensor
{
    public HostTensor(long[] shape, double[] data, ElementType dtype)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]");
            }

            count *= d;
        }

        if (count != data.LongLength)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but {data.LongLength} were given");
        }

        Shape = shape;
        Data = data;
        Dtype = dtype;
    }

    public long[] Shape { get; }

    public double[] Data { get; }

    public ElementType Dtype { get; }

    public long Count => Data.LongLength;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    public static HostTensor Filled(long[] shape, double value, ElementType dtype)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        var data = new double[count];
        Array.Fill(data, dtype.Round(value));
        return new HostTensor(shape, data, dtype);
    }

    /// <summary>A copy with every value rounded to <paramref name="dtype"/>.</summary>
    // Optimised at once: it first runs on a whole layer's weights, where tier-0 code is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public HostTensor RoundedTo(ElementType dtype)
    {
        // Float64 rounds nothing: a block copy (weights are copied so a hundred times in a diagnosis).
        if (dtype == ElementType.Float64)
        {
            return new HostTensor((long[])Shape.Clone(), (double[])Data.Clone(), dtype);
        }

        // Uninitialised: every element is written. fp16 (a whole layer's weights for an fp16 kernel) rounds inlined.
        var data = GC.AllocateUninitializedArray<double>(Data.Length);
        if (dtype == ElementType.Float16)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = HalfConversions.Round(Data[i]);
            }
        }
        else
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = dtype.Round(Data[i]);
            }
        }

        return new HostTensor((long[])Shape.Clone(), data, dtype);
    }

    public bool ShapeEquals(params long[] shape) => Shape.AsSpan().SequenceEqual(shape);
}
