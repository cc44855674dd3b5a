using System.Runtime.InteropServices;
using Harness.Comparison;
using Harness.Kernels;
using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Support;

namespace Harness.Tests.Native;

/// <summary>
/// An ABI 1 library (native/tests/abi1_library.c: its own copies of the ABI 1 structs, five exports, one honest CPU
/// variant, the QKV projection) still loads, says ABI 1, and runs synchronously with the ABI 1 params prefix.
/// </summary>
public sealed unsafe class Abi1LibraryTests
{
    private const string Variant = "abi1-qkv-projection";

    [Test]
    public void Load_Abi1Library_ReportsAbi1AndItsVariantWithoutAbi2Properties()
    {
        var catalog = VariantCatalog.Load(TestLibraries.Abi1);

        var variant = catalog.Find(Variant);

        catalog.Libraries.Single(l => !l.IsBuiltIn).AbiVersion.Should().Be(1);
        variant.Abi.Should().Be(1);
        variant.Flags.Should().Be(VariantProperties.None, "an ABI 1 library writes only the 56-byte prefix; the rest stays zero");
        variant.Limits.Should().Be(ShapeLimits.Any);
        variant.SupportsAsync.Should().BeFalse();
        variant.Outputs.Should().Equal("attn.q", "attn.k", "attn.v", "attn.qkv");
    }

    [Test]
    public void Run_Abi1ParamsOnOneElement_WritesTheHandComputedProjection()
    {
        var library = KernelLibrary.External(TestLibraries.Abi1);
        var p = KernelLibrary.NewParams(library.AbiVersion);
        p.Dims = new BkDims { Batch = 1, Seq = 1, Heads = 1, HeadSize = 1, Intermediate = 1 };
        p.Dtype = BkConstants.DtypeF32;
        p.Semantics = BkConstants.SemanticsHuggingFace;
        float[] input = [2f], weights = [3f, 5f, 7f], biases = [1f, -1f, 0.5f], q = [float.NaN], k = [float.NaN], v = [float.NaN], qkv = [float.NaN, float.NaN, float.NaN];
        fixed (float* x = input, w = weights, b = biases, pq = q, pk = k, pv = v, pqkv = qkv)
        {
            p.Input = (nint)x;
            p.QkvWeight = (nint)w;
            p.QkvBias = (nint)b;
            p.Outputs[0] = (nint)pq;
            p.Outputs[1] = (nint)pk;
            p.Outputs[2] = (nint)pv;
            p.Outputs[3] = (nint)pqkv;

            library.Run(Variant, in p);
        }

        // q = 2·3 + 1, k = 2·5 − 1, v = 2·7 + 0.5
        (q[0], k[0], v[0]).Should().Be((7f, 9f, 14.5f));
        qkv.Should().Equal(7f, 9f, 14.5f);
    }

    [Test]
    public void Run_Abi2SizedParams_IsRefusedByTheAbi1Library()
    {
        var library = KernelLibrary.External(TestLibraries.Abi1);
        var p = KernelLibrary.NewParams();

        var act = () => library.Run(Variant, in p);

        act.Should().Throw<AbiMismatchException>();
    }

    [Test]
    public void NewParams_Abi1_HasTheAbi1PrefixSize()
    {
        var p = KernelLibrary.NewParams(BkConstants.AbiVersion1);

        (p.AbiVersion, p.StructSize).Should().Be((1, BkConstants.ParamsAbi1Size));
        ((int)Marshal.OffsetOf<BkParams>(nameof(BkParams.RunFlags))).Should().Be(BkConstants.ParamsAbi1Size);
    }

    [Test]
    public void Verify_Abi1VariantOnSmall_EveryDeclaredTensorWithinBudget()
    {
        var catalog = VariantCatalog.Load(TestLibraries.Abi1);

        var verification = LayerVerifier.Verify(catalog.Find(Variant), Verifications.Setup(Verifications.Scenario("small"), "huggingface"));

        verification.Comparison.Verdicts.Should().HaveCount(4);
        verification.Comparison.Should().Pass();
    }

    [Test]
    public void AsyncParameters_Abi1Variant_Throws()
    {
        var catalog = VariantCatalog.Load(TestLibraries.Abi1);
        var setup = Verifications.Setup(Verifications.Scenario("small"), "huggingface");
        using var call = new PreparedKernelCall(catalog.Find(Variant), new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, "huggingface"));

        var act = () => call.AsyncParameters(0);

        act.Should().Throw<InvalidOperationException>().WithMessage("*ABI 1*");
        call.WorkspaceSize.Should().Be(0UL);
    }

    [Test]
    public void Load_SeveralOutOfTreeLibraries_AllJoinOneCatalog()
    {
        var catalog = VariantCatalog.Load([TestLibraries.ExternalExample, TestLibraries.Abi1, TestLibraries.TestVariants]);

        catalog.Libraries.Select(l => l.AbiVersion).Should().Equal(2, 2, 1, 2);
        catalog.Variants.Select(v => v.Name).Should().Contain(["cpu-reference", "external-qkv-projection", Variant]);
        catalog.Variants.Where(v => v.Library.Path == TestLibraries.TestVariants).Should().NotBeEmpty();
    }

    [Test]
    public void RunEntryPoint_OfEachLibrary_IsItsOwnBkRun()
    {
        var builtIn = KernelLibrary.BuiltIn();
        var abi1 = KernelLibrary.External(TestLibraries.Abi1);

        builtIn.RunEntryPoint.Should().NotBe(0);
        abi1.RunEntryPoint.Should().NotBe(0).And.NotBe(builtIn.RunEntryPoint);
    }
}
