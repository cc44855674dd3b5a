using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Harness.Model;

namespace Harness.Isolation;

/// <summary>
/// Host tensors in the worker files: dtype, rank, dimensions, whether the values follow as fp16, then the values as raw
/// bytes, fp16 or float64.
/// </summary>
internal static class WorkerStreams
{
    public static void WriteTensor(this BinaryWriter w, HostTensor t)
    {
        w.Write((int)t.Dtype);
        w.Write(t.Shape.Length);
        foreach (var d in t.Shape)
        {
            w.Write(d);
        }

        // An fp16 tensor (an fp16 kernel's inputs, weights and outputs) goes as fp16, a quarter of the bytes, when every
        // value comes back bit for bit (so −0 stays −0; a NaN, whose payload fp16 may not keep, sends it as float64).
        var halves = t.Dtype == ElementType.Float16 ? ExactHalves(t.Data) : null;
        w.Write(halves is not null);
        w.Write(halves is not null ? MemoryMarshal.AsBytes(halves.AsSpan()) : MemoryMarshal.AsBytes(t.Data.AsSpan()));
    }

    // Optimised at once (one call per tensor; a loop over it would otherwise start in unoptimised code).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HostTensor ReadTensor(this BinaryReader r)
    {
        var dtype = (ElementType)r.ReadInt32();
        var shape = new long[r.ReadInt32()];
        long count = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = r.ReadInt64();
            count *= shape[i];
        }

        // Uninitialised: both branches write every element.
        var data = GC.AllocateUninitializedArray<double>(checked((int)count));
        if (r.ReadBoolean())
        {
            var halves = new Half[count];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(halves.AsSpan()));
            HalfConversions.ToDoubles(halves, data);
        }
        else
        {
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        }

        return new HostTensor(shape, data, dtype);
    }

    /// <summary>The values as fp16, or null when one of them does not come back from fp16 with the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Half[]? ExactHalves(double[] values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = HalfConversions.ToHalf(values[i]);
            if (BitConverter.DoubleToInt64Bits(HalfConversions.ToDouble(halves[i])) != BitConverter.DoubleToInt64Bits(values[i]))
            {
                return null;
            }
        }

        return halves;
    }

    /// <summary>Checks the file's first bytes, so a stale or foreign file is refused rather than misread.</summary>
    public static void Expect(this BinaryReader r, string magic, string path)
    {
        if (r.ReadString() != magic)
        {
            throw new InvalidDataException($"{path} is not a harness worker file ({magic})");
        }
    }

    /// <summary>Writes to a temporary beside <paramref name="path"/> and renames it: a reader sees the whole file or none.</summary>
    public static void WriteAtomically(string path, Action<BinaryWriter> write)
    {
        var temporary = path + ".partial";
        using (var w = new BinaryWriter(File.Create(temporary)))
        {
            write(w);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
