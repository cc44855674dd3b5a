using System.Buffers.Binary;
using Harness.Model;
using Microsoft.Win32.SafeHandles;

namespace Harness.Scenarios;

/// <summary>
/// A safetensors file opened for reading: the header is parsed and checked on open, tensor data is read on demand
/// with positioned reads, so a 440 MB checkpoint costs only the bytes of the tensors asked for.
/// </summary>
public sealed class SafetensorsFile : ICheckpointTensors
{
    private readonly SafeFileHandle handle;
    private readonly Dictionary<string, SafetensorsEntry> entries;
    private readonly long dataStart;

    private SafetensorsFile(string path, SafeFileHandle handle, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata, long dataStart)
    {
        Path = path;
        this.handle = handle;
        this.entries = entries;
        Metadata = metadata;
        this.dataStart = dataStart;
    }

    public string Path { get; }

    /// <summary>The file's __metadata__ strings (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyCollection<string> TensorNames => entries.Keys;

    IEnumerable<string> ICheckpointTensors.TensorNames => entries.Keys;

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointException($"safetensors '{path}': file not found");
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8)
            {
                throw new CheckpointException($"safetensors '{path}': file is {length} bytes, shorter than the 8-byte header length");
            }

            Span<byte> lengthBytes = stackalloc byte[8];
            RandomAccess.Read(handle, lengthBytes, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)(length - 8))
            {
                throw new CheckpointException($"safetensors '{path}': header length {headerLength} runs beyond the file ({length} bytes)");
            }

            var header = new byte[headerLength];
            RandomAccess.Read(handle, header, 8);
            var dataStart = 8 + (long)headerLength;
            var (entries, metadata) = SafetensorsHeader.Parse(path, header, length - dataStart);
            return new SafetensorsFile(path, handle, entries, metadata, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>The header entry of a tensor; a missing one is an error listing the closest names present.</summary>
    public SafetensorsEntry Entry(string name)
    {
        if (entries.TryGetValue(name, out var entry))
        {
            return entry;
        }

        var close = NameSuggestions.Closest(name, entries.Keys);
        var hint = close.Count == 0 ? "the file holds no tensors" : $"closest present: {string.Join(", ", close)}";
        throw new CheckpointException($"safetensors '{Path}': tensor '{name}' not found ({hint})");
    }

    public long[] ShapeOf(string name) => Entry(name).Shape;

    HostTensor ICheckpointTensors.Read(string name) => Read(name);

    /// <summary>Reads one tensor as float64 values; with <paramref name="expectedShape"/> a different shape is an error.</summary>
    public HostTensor Read(string name, long[]? expectedShape = null)
    {
        var entry = Entry(name);
        if (expectedShape is not null && !entry.Shape.AsSpan().SequenceEqual(expectedShape))
        {
            throw new CheckpointException($"safetensors '{Path}': tensor '{name}' has shape {entry.ShapeText}, expected [{string.Join(", ", expectedShape)}]");
        }

        if (!SafetensorsDtype.CanDecode(entry.Dtype))
        {
            throw new CheckpointException($"safetensors '{Path}': tensor '{name}' has dtype '{entry.Dtype}', which the harness cannot read (F64, F32, F16, BF16, I64, I32)");
        }

        var bytes = new byte[entry.End - entry.Begin];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), dataStart + entry.Begin + read);
            if (n == 0)
            {
                throw new CheckpointException($"safetensors '{Path}': tensor '{name}' truncated data: the file ended after {read} of its {bytes.Length} bytes");
            }

            read += n;
        }

        var values = new double[entry.ElementCount];
        SafetensorsDtype.Decode(entry.Dtype, bytes, values);
        return new HostTensor((long[])entry.Shape.Clone(), values, SafetensorsDtype.ElementTypeOf(entry.Dtype));
    }

    public void Dispose() => handle.Dispose();
}
