using FluentAssertions;
using Harness.Scenarios;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

public sealed class SafetensorsCorruptFileTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void SetUp() => dir = new TempDirectory();

    [TearDown]
    public void TearDown() => dir.Dispose();

    [Test]
    public void Open_MissingFile_NamesTheFile()
    {
        var path = dir.File("absent.safetensors");

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*absent.safetensors*not found*");
    }

    [Test]
    public void Open_ShorterThanEightBytes_SaysSo()
    {
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*short.safetensors*3 bytes*shorter than*");
    }

    [Test]
    public void Open_HeaderLengthBeyondFile_SaysSo()
    {
        var path = dir.File("long.safetensors");
        RawSafetensors.Write(path, "{}", [], declaredHeaderLength: 1000);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*long.safetensors*header length 1000*beyond*");
    }

    [Test]
    public void Open_HeaderNotJson_SaysSo()
    {
        var path = dir.File("garbage.safetensors");
        RawSafetensors.Write(path, "{not json", []);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*garbage.safetensors*not valid JSON*");
    }

    [Test]
    public void Open_HeaderNotAnObject_SaysSo()
    {
        var path = dir.File("array.safetensors");
        RawSafetensors.Write(path, "[1,2]", []);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*array.safetensors*Array*expected an object*");
    }

    [Test]
    public void Read_UnknownDtype_NamesTheDtypeAndTensor()
    {
        var path = dir.File("dtype.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,2]}}""", [0, 0]);
        using var file = SafetensorsFile.Open(path);

        FluentActions.Invoking(() => file.Read("w")).Should().Throw<CheckpointException>().WithMessage("*dtype.safetensors*'w'*Q4_K*");
    }

    [Test]
    public void Open_OffsetsReversed_NamesTheTensor()
    {
        var path = dir.File("reversed.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", new byte[8]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*reversed.safetensors*'w'*out of range*");
    }

    [Test]
    public void Open_OffsetsInconsistentWithShape_GivesBothSizes()
    {
        var path = dir.File("size.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", new byte[24]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*size.safetensors*'w'*20 bytes*needs 24*");
    }

    [Test]
    public void Open_OverlappingTensors_NamesBoth()
    {
        var path = dir.File("overlap.safetensors");
        RawSafetensors.Write(
            path,
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            new byte[12]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*overlap.safetensors*'b'*overlap*'a'*");
    }

    [Test]
    public void Open_TruncatedData_NamesTheTensor()
    {
        var path = dir.File("truncated.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""", new byte[5]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*truncated.safetensors*'w'*truncated*5 data bytes*");
    }

    [Test]
    public void Open_NegativeShape_NamesTheField()
    {
        var path = dir.File("negative.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", []);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage("*negative.safetensors*'w'*shape[0]*non-negative*");
    }

    [Test]
    public void Read_MissingTensor_ListsCloseNames()
    {
        var path = dir.File("names.safetensors");
        RawSafetensors.Write(
            path,
            """{"encoder.layer.0.attention.self.query.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"pooler.dense.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            new byte[8]);
        using var file = SafetensorsFile.Open(path);

        FluentActions.Invoking(() => file.Read("encoder.layer.0.attention.self.qurey.weight"))
            .Should().Throw<CheckpointException>()
            .WithMessage("*names.safetensors*'encoder.layer.0.attention.self.qurey.weight' not found*closest present: encoder.layer.0.attention.self.query.weight*");
    }

    [Test]
    public void Read_WrongShape_GivesExpectedAndActual()
    {
        var path = dir.File("shape.safetensors");
        RawSafetensors.Write(path, """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", new byte[24]);
        using var file = SafetensorsFile.Open(path);

        FluentActions.Invoking(() => file.Read("w", [3, 2])).Should().Throw<CheckpointException>().WithMessage("*shape.safetensors*'w'*[2, 3]*expected [3, 2]*");
    }
}
