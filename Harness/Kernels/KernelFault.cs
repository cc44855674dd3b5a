namespace Harness.Kernels;

/// <summary>How a variant's run in a worker process failed to come back with its outputs.</summary>
public enum KernelFaultKind
{
    /// <summary>The worker was killed by a signal (SIGSEGV, SIGABRT, SIGILL, SIGBUS, SIGFPE, ...).</summary>
    Signal,

    /// <summary>The worker ran past its timeout and was killed.</summary>
    Timeout,

    /// <summary>The run returned an error (a bk_run status with its message, e.g. a CUDA error after a trap).</summary>
    KernelError,

    /// <summary>The worker exited without a response, with this exit code.</summary>
    Exit,
}

/// <summary>
/// A variant's run that failed in its worker: which variant, what happened, the signal number or exit code where there is one, and
/// the last words of the worker (the kernel's error message, or its stderr's last line).
/// </summary>
public sealed record KernelFault(string Variant, KernelFaultKind Kind, int Code, string Detail, TimeSpan Timeout)
{
    /// <summary>The signal's POSIX name (Linux numbering) for a <see cref="KernelFaultKind.Signal"/> fault; null otherwise.</summary>
    public string? SignalName => Kind != KernelFaultKind.Signal ? null : Code switch
    {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => $"signal {Code}",
    };
}
