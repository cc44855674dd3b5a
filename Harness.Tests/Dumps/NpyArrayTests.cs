using System.Text;
using Harness.Dumps;

namespace Harness.Tests.Dumps;

/// <summary>The .npy reader/writer: round trips, a file laid out by hand from the format's description, and every corrupt case.</summary>
public sealed class NpyArrayTests
{
    private static IEnumerable<TestCaseData> RoundTrips()
    {
        foreach (var dtype in new[] { ElementType.Float16, ElementType.Float32, ElementType.Float64 })
        {
            yield return new TestCaseData(dtype, new long[] { 2, 7, 3 }).SetName($"Write_ThenRead_RoundTrips({dtype},2x7x3)");
            yield return new TestCaseData(dtype, new long[] { 4, 8 }).SetName($"Write_ThenRead_RoundTrips({dtype},4x8)");
            yield return new TestCaseData(dtype, new long[] { 5 }).SetName($"Write_ThenRead_RoundTrips({dtype},5)");
        }
    }

    [TestCaseSource(nameof(RoundTrips))]
    public void Write_ThenRead_RoundTrips(ElementType dtype, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var data = Enumerable.Range(0, (int)count).Select(i => dtype.Round((i * 0.37) - 3.1)).ToArray();
        var tensor = new HostTensor(shape, data, dtype);
        using var stream = new MemoryStream();

        NpyArray.Write(stream, tensor);
        stream.Position = 0;
        var read = NpyArray.Read(stream, "test");

        read.Shape.Should().Equal(shape);
        read.Dtype.Should().Be(dtype);
        read.Data.Should().Equal(data);
        (stream.ToArray().Length - (count * (dtype == ElementType.Float16 ? 2 : dtype == ElementType.Float32 ? 4 : 8))).Should().Be(128, "the header is padded so the data starts at a multiple of 64 bytes");
    }

    [Test]
    public void Read_FileLaidOutByHand_GivesItsValues()
    {
        // Version 1.0, little-endian float32 [2, 3], as the format description lays it out.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        header = header.PadRight(64 - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange([1, 0, (byte)header.Length, 0]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (var v in new[] { 1f, -2f, 0.5f, 3.25f, 0f, 1e-3f })
        {
            bytes.AddRange(BitConverter.GetBytes(v));
        }

        var read = NpyArray.Read(new MemoryStream(bytes.ToArray()), "hand");

        read.Shape.Should().Equal(2, 3);
        read.Dtype.Should().Be(ElementType.Float32);
        read.Data.Should().Equal(1, -2, 0.5, 3.25, 0, (double)1e-3f);
    }

    private static IEnumerable<TestCaseData> Corrupt()
    {
        var good = Encode(new HostTensor([2, 3], [1, 2, 3, 4, 5, 6], ElementType.Float32));
        yield return new TestCaseData(good[..^4], "truncated").SetName("Read_Corrupt_OneClearError(data cut short)");
        yield return new TestCaseData(good[..8], "truncated").SetName("Read_Corrupt_OneClearError(header cut short)");
        yield return new TestCaseData(Replace(good, "NUMPY", "NUMPX"), "magic").SetName("Read_Corrupt_OneClearError(bad magic)");
        yield return new TestCaseData(Replace(good, "<f4", ">f4"), "'>f4' is not supported").SetName("Read_Corrupt_OneClearError(big endian)");
        yield return new TestCaseData(Replace(good, "<f4", "<i4"), "'<i4' is not supported").SetName("Read_Corrupt_OneClearError(integers)");
        yield return new TestCaseData(Replace(good, "False", "True "), "fortran_order").SetName("Read_Corrupt_OneClearError(fortran order)");
    }

    [TestCaseSource(nameof(Corrupt))]
    public void Read_Corrupt_OneClearError(byte[] bytes, string expected)
    {
        var act = () => NpyArray.Read(new MemoryStream(bytes), "x.npy");

        act.Should().Throw<DumpFormatException>().Which.Message.Should().StartWith("x.npy: ").And.Contain(expected);
    }

    [Test]
    public void Npz_WriteThenRead_KeepsNamesOrderAndValues()
    {
        var a = new HostTensor([2, 3], [1, 2, 3, 4, 5, 6], ElementType.Float16);
        var b = new HostTensor([7], [0.5, 1, 1.5, 2, 2.5, 3, 3.5], ElementType.Float64);
        var path = Path.Combine(Path.GetTempPath(), $"harness-npz-{Guid.NewGuid():N}.npz");
        try
        {
            using (var stream = File.Create(path))
            {
                NpzArchive.Write(stream, [("attn.q", a), ("output", b)]);
            }

            var read = NpzArchive.Read(path);

            read.Select(t => t.Name).Should().Equal("attn.q", "output");
            read[0].Tensor.Data.Should().Equal(a.Data);
            read[1].Tensor.Dtype.Should().Be(ElementType.Float64);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Encode(HostTensor t)
    {
        using var stream = new MemoryStream();
        NpyArray.Write(stream, t);
        return stream.ToArray();
    }

    private static byte[] Replace(byte[] bytes, string from, string to) =>
        Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace(from, to, StringComparison.Ordinal));
}
