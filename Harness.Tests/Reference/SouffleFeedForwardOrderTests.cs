using Harness.Kernels;
using Harness.Reference;
using Harness.Tests.Conformance;
using TorchSharp;

namespace Harness.Tests.Reference;

/// <summary>
/// The order of Souffle's feed-forward arithmetic (docs/SEMANTICS.md §2, §4), as upstream's kernels fix it: FC2 split
/// over 4 warps by interleaved 16-wide k-tiles, and the LayerNorm's std rounded to fp16 before its reciprocal is.
/// Expected values are worked out by hand from the contract.
/// </summary>
public sealed class SouffleFeedForwardOrderTests
{
    [Test]
    public void Fc2PartColumns_BertBaseFourParts_EachPartHoldsEveryFourthSixteenWideTile()
    {
        var parts = ReferenceStages.Fc2PartColumns(3072, 4);

        parts.Should().HaveCount(4);
        parts.Should().AllSatisfy(p => p.Should().HaveCount(768));
        parts[1].Take(18).Should().Equal([16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 80, 81]);
        parts[3][^1].Should().Be(3071);
    }

    [Test]
    public void Fc2PartColumns_TwoAndAHalfTiles_LeavesEmptyPartsOutAndCutsTheLastTile()
    {
        var parts = ReferenceStages.Fc2PartColumns(40, 4);

        parts.Should().HaveCount(3);
        parts[0].Should().Equal(Enumerable.Range(0, 16).Select(k => (long)k));
        parts[2].Should().Equal(Enumerable.Range(32, 8).Select(k => (long)k));
    }

    [Test]
    public void Fc2_SouffleOnesAtColumnsZeroAndEightyTwoThousandAtSixtyFour_AddsPartsInTileOrder()
    {
        // F = 128, M = 1, weights all 1. Part 0 holds columns 0-15 and 64-79: 1 + 2048 = 2049, a tie, rounds to 2048 in
        // fp16; part 1 (columns 16-31, 80-95) holds 1: 2048 + 1 rounds to 2048 again. Four consecutive slices of 32
        // would give 1, then 1 + (2048 + 1) = 2050.
        var shape = new LayerShape(1, 1, 1, 1, 128);
        var fc1 = new double[128];
        fc1[0] = 1.0;
        fc1[64] = 2048.0;
        fc1[80] = 1.0;
        var weights = ReferenceTestData.RandomWeights(shape, seed: 3);
        weights = weights with { OutputWeight = new HostTensor([1, 128], Enumerable.Repeat(1.0, 128).ToArray(), ElementType.Float64) };
        using var ctx = StageContext.Create(shape, weights, null, LayerSemantics.Souffle, ElementType.Float64, "cpu");
        using var input = torch.tensor(fc1, [1, 1, 128], torch.float64);

        using var y = ReferenceStages.Fc2(input, ctx);

        y.data<double>().ToArray().Should().Equal(2048.0);
    }

    [Test]
    public void AddAndNorm_SouffleStdJustAboveOneEighth_RoundsStdBeforeItsReciprocal()
    {
        // x = [0.125, -0.125]: mean 0, var = 0.015625, std = sqrt(var + 1e-5) = 0.12504, which is 0.125 in fp16, so
        // 1/std = 8 and y = ±1 exactly. One rounding of 1/sqrt(var + eps) would give 7.996 and y = ±0.99951.
        var shape = new LayerShape(1, 1, 1, 2, 1);
        var weights = ReferenceTestData.RandomWeights(shape, seed: 4) with { LayerNormScalarGamma = 1.0, LayerNormScalarBeta = 0.0 };
        using var ctx = StageContext.Create(shape, weights, null, LayerSemantics.Souffle, ElementType.Float64, "cpu");
        using var linear = torch.tensor(new[] { 0.125, -0.125 }, [1, 1, 2], torch.float64);
        using var residual = torch.zeros([1, 1, 2], torch.float64);
        using var gamma = torch.tensor(1.0, torch.float64);
        using var beta = torch.tensor(0.0, torch.float64);

        var (sum, sumSq, output) = ReferenceStages.AddAndNorm(linear, residual, gamma, beta, ctx);
        using (sum)
        using (sumSq)
        using (output)
        {
            output.data<double>().ToArray().Should().Equal(1.0, -1.0);
        }
    }

    [Test]
    public void Fc2_CpuSouffleOnItsOwnFc1_MatchesTheReferenceBitForBit()
    {
        // F = 160: ten k-tiles, so parts 0 and 1 hold three and parts 2 and 3 two, interleaved; k = 16 as on the GPU.
        var shape = new LayerShape(1, 8, 2, 8, 160);
        var weights = ReferenceTestData.RandomWeights(shape, seed: 21).RoundedTo(ElementType.Float16);
        var inputs = ReferenceTestData.RandomInputs(shape, seed: 22).RoundedTo(ElementType.Float16);
        var variant = Verifications.Catalog.Find("cpu-souffle");
        var run = KernelRunner.Run(variant, new KernelRequest(shape, inputs, weights, "souffle", 16));
        var semantics = LayerSemantics.Souffle with { Accumulation = new AccumulationModel(16) };
        using var ctx = StageContext.Create(shape, weights, null, semantics, ElementType.Float64, "cpu");
        var fc1 = run.Outputs[TensorNames.FfnFc1];
        using var input = torch.tensor(fc1.Data, fc1.Shape, torch.float64);

        using var y = ReferenceStages.Fc2(input, ctx);

        var expected = y.data<double>().ToArray();
        expected.Distinct().Should().HaveCountGreaterThan(100, "the data must not be degenerate");
        run.Outputs[TensorNames.FfnFc2Linear].Data.Should().Equal(expected);
    }
}
