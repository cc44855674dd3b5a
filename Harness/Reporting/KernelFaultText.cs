using Harness.Kernels;

namespace Harness.Reporting;

/// <summary>A worker's failure in words: the signal's name, the timeout, or the kernel's error, and the case it hit.</summary>
public static class KernelFaultText
{
    public static string Describe(KernelFault fault, string scenario, string semantics)
    {
        var what = fault.Kind switch
        {
            KernelFaultKind.Signal => $"crashed: {SignalName(fault.Code)} (signal {fault.Code})",
            KernelFaultKind.Timeout => $"hung: killed after the {fault.Timeout.TotalSeconds:0.###} s worker timeout",
            KernelFaultKind.KernelError => "failed",
            _ => $"its worker exited with code {fault.Code} and no result",
        };
        var detail = fault.Detail.Length > 0 ? $": {fault.Detail}" : string.Empty;
        return $"{fault.Variant} {what} on case {scenario}@{semantics}{detail}; every tensor it declares is judged unwritten";
    }

    /// <summary>The usual Linux names of the signals a crashing kernel dies of.</summary>
    public static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
