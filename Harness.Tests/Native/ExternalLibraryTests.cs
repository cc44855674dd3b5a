using Harness.Comparison;
using Harness.Kernels;
using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Support;

namespace Harness.Tests.Native;

/// <summary>
/// `--variant-lib`: an out-of-tree library implementing bert_kernels.h on its own (native/examples, built beside the
/// project's library) joins the catalog and is verified like a built-in variant, with no C# change.
/// </summary>
public sealed class ExternalLibraryTests
{
    private static string ExamplePath =>
        Path.Combine(Path.GetDirectoryName(KernelLibrary.BuiltIn().Path)!, "libbk_external_example.so");

    [Test]
    public void Load_ExampleLibrary_AddsItsVariantMarkedExternal()
    {
        var catalog = VariantCatalog.Load(ExamplePath);

        var variant = catalog.Find("external-qkv-projection");

        variant.IsExternal.Should().BeTrue();
        variant.Outputs.Should().Equal("attn.q", "attn.k", "attn.v", "attn.qkv");
        catalog.Variants.Should().Contain(v => v.Name == "cpu-reference");
    }

    [Test]
    public void Verify_ExampleVariantOnSmall_EveryDeclaredTensorWithinBudget()
    {
        var catalog = VariantCatalog.Load(ExamplePath);

        var verification = LayerVerifier.Verify(catalog.Find("external-qkv-projection"), Verifications.Setup(Verifications.Scenario("small"), "huggingface"));

        verification.Comparison.Verdicts.Should().HaveCount(4);
        verification.Comparison.Should().Pass();
    }

    [Test]
    public void Run_ExampleWithWrongSemantics_ReportsItsOwnMessage()
    {
        var external = KernelLibrary.External(ExamplePath);
        var p = KernelLibrary.NewParams();
        p.Dims = new BkDims { Batch = 1, Seq = 1, Heads = 1, HeadSize = 1, Intermediate = 1 };
        p.Semantics = BkConstants.SemanticsSouffle;

        var act = () => external.Run("external-qkv-projection", in p);

        act.Should().Throw<KernelArgumentException>().WithMessage("*BK_SEMANTICS_HUGGINGFACE*");
    }
}
