using FluentAssertions;
using Harness.Model;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Conformance;

/// <summary>
/// Each cpu-mutant-* variant is cpu-reference with one documented defect. The harness must catch every one, and its
/// first failing tensor in dataflow order must be the tensor the defect touches. The expected tensors below are taken
/// from the defects' definitions (native/src/cpu/mutant_*.cpp headers), not from running the code.
/// </summary>
public sealed class MutantTests
{
    private const string Prefix = "cpu-mutant-";

    /// <summary>mutant → (scenario, semantics in which the defect is visible, first tensor it touches).</summary>
    public static readonly IReadOnlyDictionary<string, (string Scenario, string Semantics, string FirstTensor)> Expected =
        new Dictionary<string, (string, string, string)>
        {
            ["cpu-mutant-dense-untransposed"] = ("small", "huggingface", TensorNames.AttnDense),
            ["cpu-mutant-pv-fp16-accum"] = ("small", "huggingface", TensorNames.AttnContext),
            ["cpu-mutant-ln1-no-residual"] = ("small", "huggingface", TensorNames.AttnLnSum),
            ["cpu-mutant-scale-model-width"] = ("small", "huggingface", TensorNames.AttnScores),
            ["cpu-mutant-relu"] = ("small", "huggingface", TensorNames.FfnFc1),
            ["cpu-mutant-ln-no-affine"] = ("small", "huggingface", TensorNames.AttnOutput),
            ["cpu-mutant-heads-merged-wrong"] = ("small", "huggingface", TensorNames.AttnContext),
            ["cpu-mutant-last-tile-unwritten"] = ("small-round", "huggingface", TensorNames.Output),
            ["cpu-mutant-qkv-bias-ignored"] = ("small", "huggingface", TensorNames.AttnQ),
            ["cpu-mutant-softmax-no-max"] = ("small", "huggingface", TensorNames.AttnSoftmaxRowSum),
            ["cpu-mutant-ln-eps-outside-root"] = ("small", "souffle", TensorNames.AttnOutput),
        };

    public static bool IsMutant(string variant) => variant.StartsWith(Prefix, StringComparison.Ordinal);

    public static IEnumerable<TestCaseData> Mutants() =>
        Verifications.Catalog.Variants.Where(v => IsMutant(v.Name)).Select(v => new TestCaseData(v.Name).SetName($"{v.Name}/first-divergence"));

    /// <summary>Per tensor: everything upstream of the defect passes, the defect's tensor fails (downstream is not asserted).</summary>
    public static IEnumerable<TestCaseData> UpstreamAndDefectTensors()
    {
        foreach (var variant in Verifications.Catalog.Variants.Where(v => IsMutant(v.Name) && Expected.ContainsKey(v.Name)))
        {
            var (scenario, semantics, first) = Expected[variant.Name];
            var defaultSemantics = Verifications.Scenario(scenario).Semantics.Name;
            foreach (var c in ConformanceCase.ForVariant(variant.Name, variant.Outputs, scenario, semantics)
                         .Where(c => TensorNames.OrderOf(c.Tensor) <= TensorNames.OrderOf(first)))
            {
                yield return c.ToTestCase(defaultSemantics);
            }
        }
    }

    [TestCaseSource(nameof(Mutants))]
    public void Layer_Mutant_CaughtAtTheTensorItsDefectTouches(string mutant)
    {
        Expected.Should().ContainKey(mutant, "every mutant needs its documented first tensor here");
        var (scenario, semantics, first) = Expected[mutant];

        var verification = Verifications.Of(mutant, scenario, semantics);

        verification.Passed.Should().BeFalse($"{mutant} has a defect");
        verification.Comparison.FirstFailing!.Name.Should().Be(first, verification.Comparison.FirstFailing.Reason);
    }

    [TestCaseSource(nameof(UpstreamAndDefectTensors))]
    public void Tensor_Mutant_UpstreamPassesAndDefectTensorFails(ConformanceCase c)
    {
        var verdict = Verifications.Of(c.Variant, c.Scenario, c.Semantics).Comparison.Verdicts.Single(v => v.Name == c.Tensor);

        if (c.Tensor == Expected[c.Variant].FirstTensor)
        {
            verdict.Passed.Should().BeFalse($"the defect of {c.Variant} touches {c.Tensor}: {verdict.Reason}");
        }
        else
        {
            verdict.Should().Pass();
        }
    }
}
