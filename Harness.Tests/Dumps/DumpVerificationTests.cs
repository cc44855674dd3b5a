using Harness.Comparison;
using Harness.Diagnosis;
using Harness.Dumps;
using Harness.Tests.Conformance;

namespace Harness.Tests.Dumps;

/// <summary>A dump is judged exactly like the variant that wrote it; a dump with one tensor altered fails there, diagnosed.</summary>
[NonParallelizable]
public sealed class DumpVerificationTests
{
    private string directory = null!;

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("harness-dump-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [TestCase("cpu-souffle", "small", "souffle", DumpFormat.Npz)]
    [TestCase("cpu-souffle", "small-round", "souffle", DumpFormat.Safetensors)]
    [TestCase("cpu-reference", "small", "huggingface", DumpFormat.Safetensors)]
    [TestCase("cpu-mutant-relu", "small", "huggingface", DumpFormat.Npz)]
    public void VerifyDump_VariantsOwnOutputs_JudgedAsTheVariant(string variantName, string scenario, string semantics, DumpFormat format)
    {
        var native = Verifications.Of(variantName, scenario, semantics);
        var path = Path.Combine(directory, "dump." + format.ToString().ToLowerInvariant());
        DumpWriter.Write(path, format, native.Kernel.Select(p => (p.Key, p.Value)).ToList(), overwrite: false);

        var dumped = JudgeDump(path, native);

        SameJudgement(dumped, native);
        dumped.KernelDtype.Should().Be(native.KernelDtype);
        dumped.Passed.Should().Be(native.Passed);
    }

    [Test]
    public void VerifyDump_FolderOfNpyWithNoBatchDimension_JudgedAsTheVariant()
    {
        var native = Verifications.Of("cpu-souffle", "small-round", "souffle");
        foreach (var (name, tensor) in native.Kernel)
        {
            // B = 1: write every [1, …] tensor without its batch dimension, as a hook on an unbatched model would.
            var shape = tensor.Shape.Length == 3 && tensor.Shape[0] == 1 ? tensor.Shape[1..] : tensor.Shape;
            using var stream = File.Create(Path.Combine(directory, name + ".npy"));
            NpyArray.Write(stream, new HostTensor(shape, tensor.Data, tensor.Dtype));
        }

        var dumped = JudgeDump(directory, native);

        SameJudgement(dumped, native);
    }

    [Test]
    public void VerifyDump_ActivationReplacedByRelu_FailsThereWithReluHypothesis()
    {
        var native = Verifications.Of("cpu-reference", "small", "huggingface");
        var tensors = native.Kernel.ToDictionary(p => p.Key, p => p.Value);
        var linear = tensors[TensorNames.FfnFc1Linear];
        tensors[TensorNames.FfnFc1] = new HostTensor(linear.Shape, linear.Data.Select(x => linear.Dtype.Round(Math.Max(x, 0))).ToArray(), linear.Dtype);
        var path = Path.Combine(directory, "altered.safetensors");
        DumpWriter.Write(path, DumpFormat.Safetensors, tensors.Select(p => (p.Key, p.Value)).ToList(), overwrite: false);

        var dumped = JudgeDump(path, native);
        var diagnosis = LayerDiagnoser.Diagnose(dumped);

        dumped.Comparison.FirstFailing!.Name.Should().Be(TensorNames.FfnFc1);
        dumped.Comparison.Verdicts.TakeWhile(v => v.Name != TensorNames.FfnFc1).Should().OnlyContain(v => v.Passed);
        diagnosis.StageOf(TensorNames.FfnFc1)!.Best!.Name.Should().Be("activation ReLU");
    }

    private static LayerVerification JudgeDump(string path, LayerVerification native)
    {
        var dump = DumpedKernel.Load(path, NameMap.BuiltIn, native.Shape);
        var setup = Verifications.Setup(Verifications.Scenario(native.ScenarioName), native.ReferenceSemantics.Name) with { AccumulationGroup = native.AccumulationGroup };
        return LayerVerifier.Verify(new KernelOutputs("dump", dump.Dtype, dump.Outputs, native.KernelSemantics, native.AccumulationGroup), setup);
    }

    /// <summary>
    /// Same tensors, same verdicts, same metrics. The metrics agree to 1e-6 relative, not bit for bit: the float64 truth
    /// is recomputed for each judgement, and TorchSharp's threaded reductions may sum in another order.
    /// </summary>
    private static void SameJudgement(LayerVerification dumped, LayerVerification native)
    {
        dumped.Comparison.Verdicts.Select(v => (v.Name, v.Passed)).Should().Equal(native.Comparison.Verdicts.Select(v => (v.Name, v.Passed)));
        foreach (var (d, n) in dumped.Comparison.Verdicts.Zip(native.Comparison.Verdicts))
        {
            foreach (var (x, y) in new[] { (d.Comparison.MaxAbs, n.Comparison.MaxAbs), (d.Comparison.Rmse, n.Comparison.Rmse), (d.MaxAbsBudget, n.MaxAbsBudget), (d.RmseBudget, n.RmseBudget) })
            {
                x.Should().BeApproximately(y, 1e-6 * Math.Abs(y), d.Name);
            }
        }
    }
}
