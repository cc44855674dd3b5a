namespace Harness.Dumps;

/// <summary>The formats `harness dump` writes.</summary>
public enum DumpFormat
{
    Safetensors,
    Npz,
    Text,
}

public static class DumpFormats
{
    public static DumpFormat Parse(string text) => text switch
    {
        "safetensors" => DumpFormat.Safetensors,
        "npz" => DumpFormat.Npz,
        "text" => DumpFormat.Text,
        _ => throw new ArgumentException($"--format must be safetensors, npz or text, got '{text}'"),
    };
}
