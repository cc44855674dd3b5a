using Harness.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>The command line: exit codes, one-line errors for user mistakes, the files it writes.</summary>
[NonParallelizable]
public sealed class CliTests
{
    private string directory = null!;

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("harness-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Verify_CorrectVariant_ExitsZeroAndWritesJson()
    {
        var json = Path.Combine(directory, "v.json");

        var (code, _) = Run("verify", "--variant", "cpu-reference", "--scenario", "small", "--json", json);

        code.Should().Be(0);
        File.ReadAllText(json).Should().Contain("\"passed\": true").And.Contain("\"firstFailing\": null");
    }

    [Test]
    public void Verify_Mutant_ExitsOneAndNamesItsTensorInJson()
    {
        var json = Path.Combine(directory, "v.json");

        var (code, _) = Run("verify", "--variant", "cpu-mutant-relu", "--scenario", "small", "--json", json);

        code.Should().Be(VerifyCommand.Failed);
        File.ReadAllText(json).Should().Contain("\"firstFailing\": \"ffn.fc1\"");
    }

    [Test]
    public void Verify_WithReport_WritesMarkdownAndHtml()
    {
        var (code, _) = Run("verify", "--variant", "cpu-mutant-heads-merged-wrong", "--scenario", "layout-probe", "--report", directory);

        code.Should().Be(VerifyCommand.Failed);
        File.ReadAllText(Path.Combine(directory, "report.md")).Should().Contain("heads merged");
        File.ReadAllText(Path.Combine(directory, "report.html")).Should().Contain("data:image/png;base64,");
        File.ReadAllText(Path.Combine(directory, "report.json")).Should().Contain("\"origin\": \"attn.context\"").And.Contain("heads merged");
    }

    [TestCase("verify --variant no-such-variant --scenario small", "unknown variant 'no-such-variant'")]
    [TestCase("verify --variant cpu-reference --scenario no-such-scenario", "unknown scenario 'no-such-scenario'")]
    [TestCase("verify --variant cpu-reference --scenario small --rounding up", "--rounding must be rn or rz")]
    [TestCase("verify --variant cpu-souffle --against cpu-reference --scenario small", "compare variants of one dtype")]
    [TestCase("trace --scenario small --device tpu", "--device must be cpu or cuda")]
    [TestCase("trace --scenario small --batch 0", "--batch must be positive, got 0")]
    [TestCase("trace --scenario /nonexistent/scenario.json", "file not found")]
    public void Command_UserMistake_OneLineErrorAndExitTwo(string commandLine, string expected)
    {
        var (code, error) = Run(commandLine.Split(' '));

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("harness: error: ").And.Contain(expected);
    }

    [Test]
    public void Trace_SmallScenario_WritesEveryTensorForBothPresets()
    {
        var json = Path.Combine(directory, "t.json");

        var (code, _) = Run("trace", "--scenario", "small", "--json", json);

        code.Should().Be(0);
        var text = File.ReadAllText(json);
        text.Should().Contain("\"semantics\": \"huggingface\"").And.Contain("\"semantics\": \"souffle\"");
        foreach (var name in Harness.Model.TensorNames.DataflowOrder)
        {
            text.Should().Contain($"\"name\": \"{name}\"");
        }
    }

    private static (int Code, string Error) Run(params string[] args) => CliRunner.Run(args);
}
