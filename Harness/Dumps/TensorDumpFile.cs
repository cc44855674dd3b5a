using Harness.Model;
using Harness.Scenarios;

namespace Harness.Dumps;

/// <summary>Reads the tensors of a dump as its file names them: a safetensors file, an .npz archive, or a folder of .npy files.</summary>
public static class TensorDumpFile
{
    public static IReadOnlyList<(string Name, HostTensor Tensor)> Read(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.npy").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                throw new DumpFormatException($"'{path}': the folder holds no .npy files");
            }

            return files.Select(f =>
            {
                using var stream = File.OpenRead(f);
                return (Path.GetFileNameWithoutExtension(f), NpyArray.Read(stream, $"'{f}'"));
            }).ToList();
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"dump '{path}': file not found");
        }

        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            return NpzArchive.Read(path);
        }

        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new DumpFormatException($"'{path}': one .npy holds one tensor; give the folder of .npy files (one per intermediate) or an .npz");
        }

        try
        {
            using var file = SafetensorsFile.Open(path);
            return file.TensorNames.Order(StringComparer.Ordinal).Select(n => (n, file.Read(n))).ToList();
        }
        catch (CheckpointException e)
        {
            throw new DumpFormatException($"'{path}' is neither a folder of .npy, an .npz nor a readable safetensors file: {e.Message}");
        }
    }
}
