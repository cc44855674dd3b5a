using TorchSharp;

namespace Harness.Tests.Foundation;

/// <summary>TorchSharp's native library must load on this machine (Debian 12's libstdc++ needs the weakened copy).</summary>
public sealed class TorchSharpLoadTests
{
    [Test]
    public void CreateTensor_OnThisMachine_ComputesASum()
    {
        using var t = torch.arange(1, 5, dtype: torch.float64);

        t.sum().item<double>().Should().Be(10.0);
    }
}
