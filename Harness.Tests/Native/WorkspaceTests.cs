using Harness.Kernels;
using Harness.Native;
using Harness.Tests.Conformance;
using Harness.Tests.Gpu;

namespace Harness.Tests.Native;

/// <summary>
/// ABI 2 workspaces: for every variant in the registry that asks for one (bk_workspace_size at its first admitted
/// scenario), the prepared call allocates it aligned on the variant's device, and a run without it, with too little
/// or misaligned gets BK_ERR_WORKSPACE naming the variant, before the run touches anything. CUDA cases need a GPU.
/// </summary>
public sealed class WorkspaceTests
{
    private static readonly string[] Scenarios = ["small", "padded", "random", "padded-384"];

    public static IEnumerable<TestCaseData> Cases()
    {
        var cases = new List<TestCaseData>();
        foreach (var v in Verifications.Catalog.Variants.Where(v => v.Abi >= 2))
        {
            var scenario = Scenarios.FirstOrDefault(s => ConformanceMatrix.Admits(v, s) && v.Supports(v.DefaultSemantics));
            if (scenario is null || Needed(v, Verifications.Describe(scenario).Shape) == 0)
            {
                continue;
            }

            foreach (var defect in new[] { "missing", "too-small", "misaligned" })
            {
                var c = new TestCaseData(v.Name, scenario, defect).SetName($"{v.Name}/{scenario}/workspace-{defect}");
                cases.Add(v.Device == KernelDevice.Cuda ? c.SetCategory("Gpu") : c);
            }
        }

        return cases.Count > 0
            ? cases
            : [GpuConformanceTests.Skipped("workspace/no-variants", "no variant in the built-in or test-variants library asks for a workspace (bk_workspace_size is 0 for all)", "-", "-", "-")];
    }

    [TestCaseSource(nameof(Cases))]
    public void Run_WorkspaceDefect_IsWorkspaceStatusNamingTheVariant(string variant, string scenario, string defect)
    {
        var v = Verifications.Catalog.Find(variant);
        if (v.Device == KernelDevice.Cuda && !CudaDevice.Available)
        {
            Assert.Ignore("no CUDA device: TorchSharp reports torch.cuda.is_available() = false on this machine");
        }

        var setup = Verifications.Setup(Verifications.Scenario(scenario), v.DefaultSemantics);
        using var call = new PreparedKernelCall(v, new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, v.DefaultSemantics));
        var p = call.Parameters;
        var alignment = v.Device == KernelDevice.Cuda ? BkConstants.AlignmentCuda : BkConstants.AlignmentCpu;
        (p.Workspace % alignment).Should().Be(0, "the harness allocates the workspace aligned");
        p.WorkspaceSize.Should().Be(Needed(v, setup.Shape));
        var broken = defect switch
        {
            "missing" => p with { Workspace = 0 },
            "too-small" => p with { WorkspaceSize = p.WorkspaceSize - 1 },
            _ => p with { Workspace = p.Workspace + 1, WorkspaceSize = p.WorkspaceSize - 1 },
        };

        var act = () => v.Library.Run(v.Name, in broken);

        act.Should().Throw<KernelWorkspaceException>().WithMessage("*workspace*");
    }

    /// <summary>bk_workspace_size at a shape, asked with the ABI fields, dims, dtype and semantics only (no buffer).</summary>
    private static ulong Needed(KernelVariant v, LayerShape s)
    {
        var p = KernelLibrary.NewParams(v.Abi);
        p.Dims = new BkDims { Batch = s.Batch, Seq = s.Sequence, Heads = s.Heads, HeadSize = s.HeadSize, Intermediate = s.Intermediate };
        p.Dtype = v.Dtype == ElementType.Float16 ? BkConstants.DtypeF16 : BkConstants.DtypeF32;
        p.Semantics = v.DefaultSemantics == LayerSemantics.Souffle.Name ? BkConstants.SemanticsSouffle : BkConstants.SemanticsHuggingFace;
        p.LayerNormEps = (float)LayerSemantics.Preset(v.DefaultSemantics).LayerNormEps;
        p.LayerNormScalarGamma = 1f;
        return v.Library.WorkspaceSize(v.Name, in p);
    }
}
