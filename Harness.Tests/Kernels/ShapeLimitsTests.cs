using Harness.Comparison;
using Harness.Kernels;
using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Support;

namespace Harness.Tests.Kernels;

/// <summary>Shape limits as the registry declares them: what they admit, the one-line refusal, and when it comes.</summary>
public sealed class ShapeLimitsTests
{
    private static readonly DimLimit Tiles64UpTo512 = new(64, 512, 64);

    [TestCase(64, true)]
    [TestCase(512, true)]
    [TestCase(384, true)]
    [TestCase(0, false)]
    [TestCase(100, false)]
    [TestCase(576, false)]
    public void Admits_Tiles64UpTo512_OnlyMultiplesInRange(int value, bool admitted)
    {
        Tiles64UpTo512.Admits(value).Should().Be(admitted);
    }

    [Test]
    public void Admits_AllZero_AnyPositiveValue()
    {
        DimLimit.Any.Admits(1).Should().BeTrue();
        DimLimit.Any.Admits(1_000_003).Should().BeTrue();
        DimLimit.Any.Admits(0).Should().BeFalse();
    }

    [Test]
    public void Admissible_Candidates_KeepsTheAdmittedInOrder()
    {
        Tiles64UpTo512.Admissible([1, 128, 100, 384, 512, 1024]).Should().Equal(128, 384, 512);
    }

    [Test]
    public void Check_SequenceNotAMultiple_NamesDimensionValueAndLimit()
    {
        var limits = ShapeLimits.Any with { Sequence = Tiles64UpTo512 };

        var refusal = limits.Check(LayerShape.BertBase384 with { Sequence = 100 });

        refusal.Should().Be("sequence S=100 is outside the limit S 64..512, multiple of 64");
    }

    [Test]
    public void Check_FixedModelWidth_NamesM()
    {
        var limits = ShapeLimits.Any with { Model = new DimLimit(768, 768, 0) };

        limits.Check(LayerShape.BertBase384 with { Heads = 4 }).Should().Be("model M=256 is outside the limit M = 768");
        limits.Check(LayerShape.BertBase384).Should().BeNull();
    }

    [Test]
    public void Admissible_BatchSequenceSweep_FilteredByLimits()
    {
        var limits = ShapeLimits.Any with { Batch = new DimLimit(1, 2, 0), Sequence = new DimLimit(0, 0, 128) };
        var sweep = from b in new[] { 1, 2, 8 } from s in new[] { 128, 384, 500 } select LayerShape.BertBase384 with { Batch = b, Sequence = s };

        limits.Admissible(sweep).Select(s => (s.Batch, s.Sequence)).Should().Equal((1, 128), (1, 384), (2, 128), (2, 384));
    }

    [Test]
    public void Limits_TestVariantFromRegistry_AreTheDeclaredOnes()
    {
        // native/tests/variants/cpu_throwaway.cpp declares D a multiple of 2 and M at most 1024.
        var variant = VariantCatalog.Load(TestLibraries.TestVariants).Find("cpu-throwaway");

        variant.Limits.HeadSize.MultipleOf.Should().Be(2);
        variant.Limits.Model.Max.Should().Be(1024);
        variant.Flags.Should().HaveFlag(VariantProperties.TestOnly);
    }

    [Test]
    public void PreparedKernelCall_ShapeOutsideLimits_RefusedBeforeTouchingRequestOrDevice()
    {
        // A CUDA variant (no device is needed to be refused) whose request has no tensors at all: reading the inputs,
        // choosing a device or allocating would fail differently, so the refusal must come first.
        var variant = Verifications.Catalog.Find("cpu-reference") with
        {
            Device = KernelDevice.Cuda,
            Limits = ShapeLimits.Any with { Sequence = Tiles64UpTo512 },
        };
        var request = new KernelRequest(LayerShape.BertBase384 with { Sequence = 100 }, null!, null!, "huggingface");

        var act = () => new PreparedKernelCall(variant, request);

        act.Should().Throw<UnsupportedShapeException>().WithMessage("variant 'cpu-reference' does not run B=1 S=100*: sequence S=100 is outside the limit S 64..512, multiple of 64");
    }

    [Test]
    public void Verify_RegistryVariantAtRefusedShape_UnsupportedShapeNamingTheLimit()
    {
        var variant = VariantCatalog.Load(TestLibraries.TestVariants).Find("cpu-throwaway");
        var setup = Verifications.Setup(Verifications.Scenario("small"), "huggingface");

        // small has D = 5; the variant declares D a multiple of 2.
        var act = () => LayerVerifier.Verify(variant, setup);

        act.Should().Throw<UnsupportedShapeException>().WithMessage("*cpu-throwaway*D=5*multiple of 2*");
    }
}
