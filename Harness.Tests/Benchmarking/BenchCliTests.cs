using Harness.Cli;
using Harness.Tests.Support;
using TorchSharp;

namespace Harness.Tests.Benchmarking;

[NonParallelizable]
public sealed class BenchCliTests
{
    [Test]
    public void Bench_CudaWithoutGpu_ExitsTwoWithOneLine()
    {
        if (torch.cuda.is_available())
        {
            Assert.Ignore("this machine has a CUDA device; the no-GPU refusal cannot be shown here");
        }

        var (code, error) = Run("bench", "--device", "cuda");

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("harness: error: ").And.Contain("no CUDA device");
    }

    [TestCase("bench --samples 5", "--samples must be at least 10")]
    [TestCase("bench --batch 1,x", "--batch takes positive integers")]
    [TestCase("bench --l2 sometimes", "--l2 must be rotate or flush")]
    public void Bench_BadOption_ExitsTwoWithOneLine(string commandLine, string expected)
    {
        var (code, error) = Run(commandLine.Split(' '));

        code.Should().Be(CliErrors.UserError);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Test]
    public void Bench_CpuVariantWithJson_ExitsZeroAndWritesSchemaTwo()
    {
        var json = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _) = Run("bench", "--variant", "cpu-reference", "--scenario", "small", "--batch", "1", "--sequence", "4,6", "--samples", "10", "--warmup", "0", "--json", json);

            code.Should().Be(0);
            var text = File.ReadAllText(json);
            text.Should().Contain("\"schemaVersion\": 2").And.Contain("\"commandLine\": \"harness bench --variant cpu-reference");
            text.Should().Contain("\"sequence\": 4").And.Contain("\"sequence\": 6");
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static (int Code, string Error) Run(params string[] args) => CliRunner.Run(args);
}
