using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

/// <summary>
/// Buffers of a CPU variant in plain aligned host memory, holding exactly the bits the torch tensors of
/// <see cref="TorchKernelBuffers"/> would: a CPU variant's worker then never loads libtorch, whose start took ~0.4 s of
/// the worker's way to its first run in the seed case, while the parent waited for it.
/// </summary>
/// <remarks>
/// Values go in as torch converts them from float64: fp32 rounds once; fp16 goes through fp32 first (c10's Half is made
/// from a float), which differs from one rounding only where the value does not already hold in fp16, and a NaN
/// becomes c10's quiet NaN with its sign. The poison is float64 NaN so converted, as torch's fill_ writes it.
/// </remarks>
internal sealed unsafe class HostKernelBuffers(ElementType dtype, WeightLayout layout) : KernelBuffers
{
    private readonly List<nint> owned = [];

    public override nint Input(HostTensor tensor) => Laid(matrices: false, tensor);

    public override nint Matrix(HostTensor weight) => Laid(matrices: true, weight);

    public override nint Stacked(HostTensor first, HostTensor second, HostTensor third, bool matrices) => Laid(matrices, first, second, third);

    public override OutputBuffer Output(long[] shape, ElementType type)
    {
        var count = shape.Aggregate(1L, (a, d) => checked(a * d));
        var output = new HostOutput(Allocate(count * ElementBytes(type)), shape, type, count);
        output.Poison();
        return output;
    }

    public override nint Workspace(ulong bytes) => Allocate(checked((long)bytes));

    public override void Synchronize()
    {
    }

    public override void Dispose()
    {
        foreach (var p in owned)
        {
            NativeMemory.AlignedFree((void*)p);
        }

        owned.Clear();
    }

    private static int ElementBytes(ElementType type) => type == ElementType.Float16 ? sizeof(ushort) : sizeof(float);

    // fp16 bits of a float64 as torch's conversion gives them (see the remarks): the float, then its nearest fp16 value
    // (exactly a float64, so HalfConversions' fast rounding applies).
    private static ushort TorchHalfBits(double x) => double.IsNaN(x)
        ? (ushort)(0x7E00 | ((BitConverter.DoubleToUInt64Bits(x) >> 48) & 0x8000))
        : BitConverter.HalfToUInt16Bits(HalfConversions.ToHalf((float)x));

    // One buffer holding `parts` one after another (equal sizes: the stacked q, k, v), each converted by Fill.
    private nint Laid(bool matrices, params ReadOnlySpan<HostTensor> parts)
    {
        var count = parts[0].Count;
        foreach (var part in parts)
        {
            if (part.Count != count)
            {
                throw new ArgumentException($"cannot stack tensors of {string.Join(", ", parts.ToArray().Select(t => t.Count))} elements");
            }
        }

        var p = Allocate(parts.Length * count * ElementBytes(dtype));
        for (var i = 0; i < parts.Length; i++)
        {
            Fill(p, i * count, parts[i], matrices);
        }

        return p;
    }

    // The tensor's values converted into the buffer at p from element `offset` on; a matrix in the weight layout. Written
    // straight from the float64 values, a transposed matrix in cache-sized tiles (no intermediate float64 copy).
    private void Fill(nint p, long offset, HostTensor tensor, bool matrix)
    {
        var transpose = matrix && layout == WeightLayout.InOut;
        if (dtype == ElementType.Float16)
        {
            Fill<ushort, ToFp16>(new Span<ushort>((ushort*)p + offset, (int)tensor.Count), tensor, transpose);
        }
        else
        {
            Fill<float, ToFp32>(new Span<float>((float*)p + offset, (int)tensor.Count), tensor, transpose);
        }
    }

    // Optimised at once: one call per buffer, millions of values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill<T, TConvert>(Span<T> target, HostTensor tensor, bool transpose)
        where T : unmanaged
        where TConvert : IConvert<T>
    {
        var source = tensor.Data;
        if (!transpose)
        {
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = TConvert.From(source[i]);
            }

            return;
        }

        // [out][in] to [in][out].
        const int Tile = 32;
        var (rows, columns) = ((int)tensor.Shape[0], (int)tensor.Shape[1]);
        for (var r0 = 0; r0 < rows; r0 += Tile)
        {
            for (var c0 = 0; c0 < columns; c0 += Tile)
            {
                for (var r = r0; r < Math.Min(r0 + Tile, rows); r++)
                {
                    for (var c = c0; c < Math.Min(c0 + Tile, columns); c++)
                    {
                        target[(c * rows) + r] = TConvert.From(source[(r * columns) + c]);
                    }
                }
            }
        }
    }

    private nint Allocate(long bytes)
    {
        var p = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), BkConstants.AlignmentCpu);
        owned.Add(p);
        return p;
    }

    private interface IConvert<T>
    {
        static abstract T From(double value);
    }

    private readonly struct ToFp16 : IConvert<ushort>
    {
        public static ushort From(double value) => TorchHalfBits(value);
    }

    private readonly struct ToFp32 : IConvert<float>
    {
        public static float From(double value) => (float)value;
    }

    private sealed class HostOutput(nint pointer, long[] shape, ElementType type, long count) : OutputBuffer
    {
        public override nint Pointer => pointer;

        private Span<byte> Memory => new((void*)pointer, checked((int)(count * ElementBytes(type))));

        public override void Poison()
        {
            if (type == ElementType.Float16)
            {
                MemoryMarshal.Cast<byte, ushort>(Memory).Fill(TorchHalfBits(double.NaN));
            }
            else
            {
                MemoryMarshal.Cast<byte, float>(Memory).Fill((float)double.NaN);
            }
        }

        public override HostTensor Read()
        {
            var data = GC.AllocateUninitializedArray<double>(checked((int)count));
            if (type == ElementType.Float16)
            {
                HalfConversions.ToDoubles(MemoryMarshal.Cast<byte, Half>(Memory), data);
            }
            else
            {
                var singles = MemoryMarshal.Cast<byte, float>(Memory);
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = singles[i];
                }
            }

            return new HostTensor((long[])shape.Clone(), data, type);
        }

        public override byte[] Bytes() => Memory.ToArray();

        public override bool Holds(byte[] bytes) => Memory.SequenceEqual(bytes);
    }
}
