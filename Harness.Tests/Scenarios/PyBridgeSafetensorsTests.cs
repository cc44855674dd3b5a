using Harness.Scenarios;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Harness.Tests.Scenarios;

/// <summary>
/// An independent safetensors oracle: TorchSharp.PyBridge (written by others) writes what the harness reads, and reads
/// what the harness writes, in F32, F16 and BF16. Values are chosen exactly representable in each dtype, with an awkward
/// shape, negative zero, subnormal-free extremes and non-round magnitudes.
/// </summary>
public sealed class PyBridgeSafetensorsTests
{
    private static readonly long[] Shape = [3, 5];

    private static IEnumerable<TestCaseData> Dtypes()
    {
        yield return new TestCaseData(ElementType.Float32, torch.ScalarType.Float32).SetArgDisplayNames("F32");
        yield return new TestCaseData(ElementType.Float16, torch.ScalarType.Float16).SetArgDisplayNames("F16");
        yield return new TestCaseData(ElementType.BFloat16, torch.ScalarType.BFloat16).SetArgDisplayNames("BF16");
    }

    /// <summary>15 values rounded to <paramref name="dtype"/>: signs, a large and a small magnitude, non-round fractions.</summary>
    private static double[] Values(ElementType dtype) =>
        [.. Enumerable.Range(0, 15).Select(i => dtype.Round((i % 2 == 0 ? 1 : -1) * (0.1 + (i * 1.37)) * Math.Pow(10, (i % 5) - 2)))];

    [TestCaseSource(nameof(Dtypes))]
    public void Read_WrittenByPyBridge_SameValuesAndDtype(ElementType dtype, torch.ScalarType scalar)
    {
        using var dir = new TempDirectory();
        var path = dir.File("pybridge.safetensors");
        var values = Values(dtype);
        using var tensor = torch.tensor(values, torch.float64).reshape(Shape).to(scalar);
        Safetensors.SaveStateDict(path, new Dictionary<string, torch.Tensor> { ["layer.weight"] = tensor });

        using var file = SafetensorsFile.Open(path);
        var read = file.Read("layer.weight");

        read.Shape.Should().Equal(Shape);
        read.Dtype.Should().Be(dtype);
        read.Data.Should().Equal(values);
    }

    [TestCaseSource(nameof(Dtypes))]
    public void Write_ReadByPyBridge_SameValuesAndDtype(ElementType dtype, torch.ScalarType scalar)
    {
        using var dir = new TempDirectory();
        var path = dir.File("harness.safetensors");
        var values = Values(dtype);
        SafetensorsWriter.Write(path, [new SafetensorsTensor("layer.weight", new HostTensor(Shape, values, ElementType.Float64), dtype)]);

        var loaded = Safetensors.LoadStateDict(path);
        using var tensor = loaded["layer.weight"];

        tensor.dtype.Should().Be(scalar);
        tensor.shape.Should().Equal(Shape);
        tensor.to(torch.float64).data<double>().ToArray().Should().Equal(values);
    }
}
