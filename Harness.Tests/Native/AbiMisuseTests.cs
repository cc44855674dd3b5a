using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Gpu;

namespace Harness.Tests.Native;

/// <summary>Every misuse of the C ABI is a status code and a message naming what is wrong, never a crash.</summary>
public sealed class AbiMisuseTests
{
    private AbiFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new AbiFixture();

    [TearDown]
    public void TearDown() => fixture.Dispose();

    [Test]
    public void Run_ValidTinyCall_Succeeds()
    {
        var act = () => fixture.Library.Run("cpu-reference", in fixture.Params);

        act.Should().NotThrow();
    }

    [Test]
    public void Run_NullInput_IsInvalidArgumentNamingInput()
    {
        fixture.Params.Input = 0;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*input*");
    }

    [TestCase("qkv_weight")]
    [TestCase("attn_dense_weight")]
    [TestCase("fc1_weight")]
    [TestCase("fc2_weight")]
    public void Run_NullRequiredWeight_IsInvalidArgumentNamingIt(string field)
    {
        switch (field)
        {
            case "qkv_weight": fixture.Params.QkvWeight = 0; break;
            case "attn_dense_weight": fixture.Params.AttnDenseWeight = 0; break;
            case "fc1_weight": fixture.Params.Fc1Weight = 0; break;
            default: fixture.Params.Fc2Weight = 0; break;
        }

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage($"*{field}*");
    }

    [TestCase(0L)]
    [TestCase(-3L)]
    public void Run_NonPositiveSequence_IsInvalidArgumentNamingSeq(long seq)
    {
        fixture.Params.Dims.Seq = seq;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*seq*");
    }

    [Test]
    public void Run_ZeroHeads_IsInvalidArgument()
    {
        fixture.Params.Dims.Heads = 0;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*heads*");
    }

    [Test]
    public void Run_UnknownVariant_ListsKnownOnes()
    {
        Run("no-such-variant").Should().Throw<UnknownVariantException>().WithMessage("*no-such-variant*cpu-reference*");
    }

    [Test]
    public void Run_NullVariantName_IsInvalidArgument()
    {
        Run(null).Should().Throw<KernelLibraryException>().Which.Status.Should().BeOneOf(BkConstants.ErrInvalidArgument, BkConstants.ErrUnknownVariant);
    }

    [Test]
    public void Run_WrongAbiVersion_IsAbiMismatch()
    {
        fixture.Params.AbiVersion = BkConstants.AbiVersion + 1;

        Run("cpu-reference").Should().Throw<AbiMismatchException>();
    }

    [Test]
    public void Run_WrongStructSize_IsAbiMismatch()
    {
        fixture.Params.StructSize -= 8;

        Run("cpu-reference").Should().Throw<AbiMismatchException>();
    }

    [Test]
    public void Run_DtypeOtherThanVariants_IsInvalidArgumentNamingDtype()
    {
        fixture.Params.Dtype = BkConstants.DtypeF16;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*dtype*");
    }

    [Test]
    public void Run_SemanticsTheVariantLacks_IsInvalidArgument()
    {
        fixture.Params.Dtype = BkConstants.DtypeF16;
        fixture.Params.Semantics = BkConstants.SemanticsHuggingFace;

        Run("cpu-souffle").Should().Throw<KernelArgumentException>().WithMessage("*semantics*");
    }

    [Test]
    public void Run_BadRoundingCode_IsInvalidArgument()
    {
        fixture.Params.AccumulationRounding = 7;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*rounding*");
    }

    /// <summary>Every variant of the registry whose limits refuse the fixture's shape (B=1, S=2, H=1, D=2, F=3).</summary>
    public static IEnumerable<TestCaseData> VariantsRefusingTheFixtureShape()
    {
        var shape = new LayerShape(1, 2, 1, 2, 3);
        var cases = Verifications.Catalog.Variants.Where(v => v.Abi >= 2 && v.CheckShape(shape) is not null)
            .Select(v => new TestCaseData(v.Name).SetName($"{v.Name}/limits-refused-by-the-library")).ToList();
        return cases.Count > 0
            ? cases
            : [GpuConformanceTests.Skipped("limits/no-variants", "no variant in the built-in or test-variants library limits B=1 S=2 H=1 D=2 F=3", "-")];
    }

    [TestCaseSource(nameof(VariantsRefusingTheFixtureShape))]
    public void Run_ShapeOutsideTheVariantsLimits_IsUnsupportedShapeBeforeTouchingTheDevice(string variant)
    {
        // The library itself refuses (not only the harness): raw params, valid but for the shape, every pointer
        // aligned for any device; the refusal comes before any CUDA call, so it needs no GPU.
        var v = Verifications.Catalog.Find(variant);
        fixture.Params.Dtype = v.Dtype == ElementType.Float16 ? BkConstants.DtypeF16 : BkConstants.DtypeF32;
        fixture.Params.Semantics = v.DefaultSemantics == LayerSemantics.Souffle.Name ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;
        var p = fixture.Params;

        var act = () => v.Library.Run(variant, in p);

        act.Should().Throw<UnsupportedShapeException>().WithMessage($"*{variant}*");
    }

    [Test]
    public void Run_MisalignedInput_IsInvalidArgumentNamingTheAlignment()
    {
        fixture.Params.Input += 4;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*input*64-byte aligned*");
    }

    [Test]
    public void Run_AsyncFlagOnSynchronousVariant_IsInvalidArgument()
    {
        var synchronous = Verifications.Catalog.Variants.First(v => v.Library.IsBuiltIn && v.Abi >= 2 && !v.SupportsAsync && v.Device == Harness.Kernels.KernelDevice.Cpu && v.Supports(LayerSemantics.HuggingFace.Name) && v.Dtype == ElementType.Float32);
        fixture.Params.RunFlags = BkConstants.RunAsync;

        Run(synchronous.Name).Should().Throw<KernelArgumentException>().WithMessage("*BK_RUN_ASYNC*");
    }

    [Test]
    public void Run_UnknownRunFlag_IsInvalidArgument()
    {
        fixture.Params.RunFlags = 8;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*run_flags*");
    }

    [Test]
    public void Run_Reserved1NonZero_IsInvalidArgument()
    {
        fixture.Params.Reserved1 = 1;

        Run("cpu-reference").Should().Throw<KernelArgumentException>().WithMessage("*reserved1*");
    }

    [Test]
    public void VariantInfo_IndexOutOfRange_IsInvalidArgument()
    {
        var count = fixture.Library.VariantInfos().Count;

        var act = () => fixture.Library.VariantInfo(count);

        act.Should().Throw<KernelArgumentException>();
    }

    [Test]
    public void AbiVersion_OfBuiltInLibrary_MatchesTheHarness()
    {
        fixture.Library.AbiVersion.Should().Be(BkConstants.AbiVersion);
    }

    private Action Run(string? name)
    {
        var p = fixture.Params;
        return () => fixture.Library.Run(name, in p);
    }
}
