using Harness.Model;
using Harness.Reference;
using TorchSharp;

namespace Harness.Diagnosis;

/// <summary>Conversions between host tensors and torch tensors for stage recomputation.</summary>
internal static class HostTorch
{
    /// <summary>A float64 torch copy of a host tensor (values are exact: they are already in the host's dtype).</summary>
    public static torch.Tensor ToTorch(HostTensor host) => torch.tensor(host.Data, host.Shape, torch.ScalarType.Float64);

    /// <summary>A host copy whose Dtype is the torch tensor's element type.</summary>
    public static HostTensor ToHost(torch.Tensor t)
    {
        using var host = t.detach().to_type(torch.ScalarType.Float64).cpu().contiguous();
        return new HostTensor(host.shape.ToArray(), host.data<double>().ToArray(), t.dtype.ToElementType());
    }
}
