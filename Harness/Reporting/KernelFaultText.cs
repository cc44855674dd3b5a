using Harness.Kernels;

namespace Harness.Reporting;

/// <summary>A worker's failure in words: the signal's name, the timeout, or the kernel's error, and the case it hit.</summary>
public static class KernelFaultText
{
    public static string Describe(KernelFault fault, string scenario, string semantics)
    {
        var what = fault.Kind switch
        {
            KernelFaultKind.Signal => $"crashed: {fault.SignalName} (signal {fault.Code})",
            KernelFaultKind.Timeout => $"hung: killed after the {fault.Timeout.TotalSeconds:0.###} s worker timeout",
            KernelFaultKind.KernelError => "failed",
            _ => $"its worker exited with code {fault.Code} and no result",
        };
        var detail = fault.Detail.Length > 0 ? $": {fault.Detail}" : string.Empty;
        return $"{fault.Variant} {what} on case {scenario}@{semantics}{detail}; every tensor it declares is judged unwritten";
    }
}
