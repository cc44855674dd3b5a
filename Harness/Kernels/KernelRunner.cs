namespace Harness.Kernels;

/// <summary>Runs a variant once: lay out, poison, invoke, read back.</summary>
public static class KernelRunner
{
    public static KernelRun Run(KernelVariant variant, KernelRequest request)
    {
        using var call = new PreparedKernelCall(variant, request);
        var elapsed = call.Invoke();
        return new KernelRun(variant, call.ReadOutputs(), elapsed);
    }
}
