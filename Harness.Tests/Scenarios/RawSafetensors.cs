using System.Buffers.Binary;
using System.Text;

namespace Harness.Tests.Scenarios;

/// <summary>Writes safetensors bytes by hand, so tests can build files the real writer never would.</summary>
internal static class RawSafetensors
{
    public static void Write(string path, string headerJson, byte[] data, ulong? declaredHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
    }
}
