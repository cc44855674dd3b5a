using System.IO.Compression;
using Harness.Model;

namespace Harness.Dumps;

/// <summary>NumPy's .npz: a zip archive of .npy arrays, one per name ("attn.q.npy" holds attn.q), as np.savez writes it.</summary>
public static class NpzArchive
{
    public static void Write(Stream stream, IReadOnlyList<(string Name, HostTensor Tensor)> tensors)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, tensor) in tensors)
        {
            using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open();
            NpyArray.Write(entry, tensor);
        }
    }

    public static IReadOnlyList<(string Name, HostTensor Tensor)> Read(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new DumpFormatException($"'{path}': not a readable .npz (zip) archive: {e.Message}");
        }

        using (zip)
        {
            var tensors = new List<(string, HostTensor)>();
            foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                {
                    throw new DumpFormatException($"'{path}': entry '{entry.FullName}' is not a .npy array");
                }

                using var stream = entry.Open();
                tensors.Add((entry.FullName[..^".npy".Length], NpyArray.Read(stream, $"'{path}': {entry.FullName}")));
            }

            return tensors;
        }
    }
}
