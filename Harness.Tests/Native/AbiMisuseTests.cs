using Harness.Native;

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

    [TestCase("souffle")]
    [TestCase("fused")]
    public void Run_FusedCudaVariantAtUnsupportedShape_IsUnsupportedShapeBeforeTouchingTheDevice(string variant)
    {
        if (fixture.Library.VariantInfos().All(v => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(v.Name) != variant))
        {
            Assert.Ignore($"variant '{variant}' is not in this kernel library (built without a CUDA compiler)");
        }

        // S = 2 is not a multiple of the fused kernels' 64-row tiles; the shape is refused before any CUDA call,
        // so this runs (and must give the status) on a machine without a GPU.
        fixture.Params.Dtype = BkConstants.DtypeF16;
        fixture.Params.Semantics = variant == "souffle" ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;

        Run(variant).Should().Throw<UnsupportedShapeException>().WithMessage($"*{variant}*");
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
