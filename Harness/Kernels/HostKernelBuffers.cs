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

    public override nint Input(HostTensor tensor) => Write(tensor.Data, dtype);

    public override nint Matrix(HostTensor weight) => Write(Laid(weight), dtype);

    public override nint Stacked(HostTensor first, HostTensor second, HostTensor third, bool matrices)
    {
        double[] Part(HostTensor h) => matrices ? Laid(h) : h.Data;
        return Write([.. Part(first), .. Part(second), .. Part(third)], dtype);
    }

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

    private double[] Laid(HostTensor weight)
    {
        if (layout == WeightLayout.OutIn)
        {
            return weight.Data;
        }

        // [out][in] to [in][out].
        var (rows, columns) = ((int)weight.Shape[0], (int)weight.Shape[1]);
        var transposed = new double[weight.Data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = weight.Data[(r * columns) + c];
            }
        }

        return transposed;
    }

    private nint Write(double[] values, ElementType type)
    {
        var p = Allocate(values.LongLength * ElementBytes(type));
        if (type == ElementType.Float16)
        {
            var target = new Span<ushort>((void*)p, values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                target[i] = TorchHalfBits(values[i]);
            }
        }
        else
        {
            var target = new Span<float>((void*)p, values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                target[i] = (float)values[i];
            }
        }

        return p;
    }

    private nint Allocate(long bytes)
    {
        var p = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), BkConstants.AlignmentCpu);
        owned.Add(p);
        return p;
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
                var halves = MemoryMarshal.Cast<byte, Half>(Memory);
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = HalfConversions.ToDouble(halves[i]);
                }
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
