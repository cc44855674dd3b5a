using System.Runtime.InteropServices;
using Harness.Model;

namespace Harness.Isolation;

/// <summary>Host tensors in the worker files: dtype, rank, dimensions, then the float64 values as raw bytes.</summary>
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

        w.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
    }

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

        var data = new double[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return new HostTensor(shape, data, dtype);
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
