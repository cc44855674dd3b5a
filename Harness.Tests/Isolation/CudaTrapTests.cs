using Harness.Kernels;
using Harness.Tests.Conformance;

namespace Harness.Tests.Isolation;

/// <summary>
/// A GPU fault (cuda-faulty-trap executes __trap(), which poisons its process's CUDA context) fails that variant's
/// cases with the CUDA error named, in its worker only: an honest CUDA variant still runs in a fresh worker and in this
/// process afterwards. Skipped, with the reason, where TorchSharp sees no CUDA device.
/// </summary>
[Category("Gpu")]
public sealed class CudaTrapTests
{
    [Test]
    public void Verify_TrappingCudaVariant_KernelErrorNamedAndTheGpuStillWorks()
    {
        if (!CudaDevice.Available)
        {
            Assert.Ignore("no CUDA device: TorchSharp sees none here");
        }

        var trapped = Isolated.Verify("cuda-faulty-trap", timeout: TimeSpan.FromSeconds(120));
        var isolated = Isolated.Verify("cuda-throwaway", timeout: TimeSpan.FromSeconds(120));
        var inProcess = Harness.Comparison.LayerVerifier.Verify(Verifications.Catalog.Find("cuda-throwaway"), Isolated.Setup() with { Isolation = null });

        trapped.Fault.Should().NotBeNull();
        trapped.Fault!.Kind.Should().BeOneOf(KernelFaultKind.KernelError, KernelFaultKind.Signal);
        trapped.Fault.Detail.Should().NotBeEmpty();
        trapped.Passed.Should().BeFalse();
        isolated.Fault.Should().BeNull();
        isolated.Passed.Should().BeTrue();
        inProcess.Passed.Should().BeTrue();
    }
}
