using Harness.Model;
using Harness.Scenarios;

namespace Harness.Dumps;

/// <summary>Writes named tensors as safetensors or .npz, atomically, refusing to replace an existing file unless asked.</summary>
public static class DumpWriter
{
    public static void Write(string path, DumpFormat format, IReadOnlyList<(string Name, HostTensor Tensor)> tensors, bool overwrite)
    {
        switch (format)
        {
            case DumpFormat.Safetensors:
                AtomicFile.Write(path, overwrite, temporary => SafetensorsWriter.Write(temporary, tensors.Select(t => new SafetensorsTensor(t.Name, t.Tensor, t.Tensor.Dtype)).ToList()));
                break;
            case DumpFormat.Npz:
                AtomicFile.Write(path, overwrite, temporary =>
                {
                    using var stream = File.Create(temporary);
                    NpzArchive.Write(stream, tensors);
                });
                break;
            default:
                throw new ArgumentException($"{format} is written as text by Reporting, not here", nameof(format));
        }
    }
}
