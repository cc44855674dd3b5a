using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class SafetensorsCorruptFileTests
{
    // Two tensors whose byte ranges share bytes 4–8.
    private const string OverlappingHeader = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""";

    // A layer weight and a pooler bias: a misspelt layer weight is closest to the first.
    private const string QueryAndPoolerHeader =
        """{"encoder.layer.0.attention.self.query.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"pooler.dense.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""";

    private const string MisspeltQuery = "encoder.layer.0.attention.self.qurey.weight";

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

    // Each case: a header (with that many zero data bytes after it) that is corrupt in one way, and the error Open must give.
    [TestCase("garbage.safetensors", "{not json", 0, "*garbage.safetensors*not valid JSON*", TestName = "Open_HeaderNotJson_SaysSo")]
    [TestCase("array.safetensors", "[1,2]", 0, "*array.safetensors*Array*expected an object*", TestName = "Open_HeaderNotAnObject_SaysSo")]
    [TestCase("reversed.safetensors", """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 8, "*reversed.safetensors*'w'*out of range*", TestName = "Open_OffsetsReversed_NamesTheTensor")]
    [TestCase("size.safetensors", """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", 24, "*size.safetensors*'w'*20 bytes*needs 24*", TestName = "Open_OffsetsInconsistentWithShape_GivesBothSizes")]
    [TestCase("overlap.safetensors", OverlappingHeader, 12, "*overlap.safetensors*'b'*overlap*'a'*", TestName = "Open_OverlappingTensors_NamesBoth")]
    [TestCase("truncated.safetensors", """{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""", 5, "*truncated.safetensors*'w'*truncated*5 data bytes*", TestName = "Open_TruncatedData_NamesTheTensor")]
    [TestCase("negative.safetensors", """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0, "*negative.safetensors*'w'*shape[0]*non-negative*", TestName = "Open_NegativeShape_NamesTheField")]
    public void Open_CorruptHeaderOrData_NamesTheProblem(string fileName, string header, int dataLength, string message)
    {
        var path = dir.File(fileName);
        RawSafetensors.Write(path, header, new byte[dataLength]);

        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<CheckpointException>().WithMessage(message);
    }

    // Each case: a file that opens, a tensor read from it (with the shape the caller expects, if any), and the error Read must give.
    [TestCase("dtype.safetensors", """{"w":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,2]}}""", 2, "w", null, "*dtype.safetensors*'w'*Q4_K*", TestName = "Read_UnknownDtype_NamesTheDtypeAndTensor")]
    [TestCase("names.safetensors", QueryAndPoolerHeader, 8, MisspeltQuery, null, "*names.safetensors*'" + MisspeltQuery + "' not found*closest present: encoder.layer.0.attention.self.query.weight*", TestName = "Read_MissingTensor_ListsCloseNames")]
    [TestCase("shape.safetensors", """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", 24, "w", new long[] { 3, 2 }, "*shape.safetensors*'w'*[2, 3]*expected [3, 2]*", TestName = "Read_WrongShape_GivesExpectedAndActual")]
    public void Read_BadTensor_NamesTheProblem(string fileName, string header, int dataLength, string tensor, long[]? expectedShape, string message)
    {
        var path = dir.File(fileName);
        RawSafetensors.Write(path, header, new byte[dataLength]);
        using var file = SafetensorsFile.Open(path);

        FluentActions.Invoking(() => file.Read(tensor, expectedShape)).Should().Throw<CheckpointException>().WithMessage(message);
    }
}
