using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class SafetensorsRoundTripTests
{
    private static readonly double[] Awkward = [0.0, -0.0, 1.0, -2.5, 0.1, 1e-3, 3.0e-8, 65504.0, -1.0 / 3.0, 123.456];

    [TestCase(ElementType.Float32)]
    [TestCase(ElementType.Float16)]
    [TestCase(ElementType.BFloat16)]
    [TestCase(ElementType.Float64)]
    public void WriteThenRead_EachDtype_ValuesExactAfterRoundingToTheDtype(ElementType dtype)
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        var tensor = new HostTensor([2, 5], Awkward, ElementType.Float64);

        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", tensor, dtype)]);
        using var file = SafetensorsFile.Open(path);
        var read = file.Read("x");

        read.Shape.Should().Equal(2, 5);
        read.Dtype.Should().Be(dtype);
        read.Data.Should().Equal(Awkward.Select(v => dtype.Round(v)));
    }

    [Test]
    public void WriteThenRead_SeveralTensorsAndMetadata_EachReadBackByName()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        var a = new HostTensor([3], [1, 2, 3], ElementType.Float32);
        var b = new HostTensor([1, 2, 1], [0.5, -0.25], ElementType.Float16);
        var empty = new HostTensor([0, 4], [], ElementType.Float32);

        SafetensorsWriter.Write(
            path,
            [new SafetensorsTensor("a", a, ElementType.Float32), new SafetensorsTensor("b", b, ElementType.Float16), new SafetensorsTensor("empty", empty, ElementType.Float32)],
            new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(path);

        file.TensorNames.Should().BeEquivalentTo("a", "b", "empty");
        file.Metadata.Should().ContainKey("format").WhoseValue.Should().Be("pt");
        file.Read("a").Data.Should().Equal(1, 2, 3);
        file.Read("b").Data.Should().Equal(0.5, -0.25);
        file.Read("b").Shape.Should().Equal(1, 2, 1);
        file.Read("empty").Count.Should().Be(0);
    }

    [Test]
    public void Write_HeaderLength_IsAMultipleOfEight()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");

        SafetensorsWriter.Write(path, [new SafetensorsTensor("odd_name_x", new HostTensor([1], [1], ElementType.Float32), ElementType.Float32)]);

        var headerLength = BitConverter.ToUInt64(File.ReadAllBytes(path), 0);

        (headerLength % 8).Should().Be(0);
        ((long)headerLength + 8 + 4).Should().Be(new FileInfo(path).Length);
    }

    [Test]
    public void Read_Bf16HandWritten_DecodesTheUpperHalfOfFloat32()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        // 0x3FC0 is bf16 1.5, 0xC020 is -2.5.
        RawSafetensors.Write(path, """{"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}""", [0xC0, 0x3F, 0x20, 0xC0]);

        using var file = SafetensorsFile.Open(path);

        file.Read("x").Data.Should().Equal(1.5, -2.5);
    }
}
